/// The stable code of every warning and error pocgate logs, attached to the event as the
/// `code` metadata field (`CODE=` on stderr, `POCGATE_CODE=` in the journal).
///
/// A code names one situation for ever: the message text may be reworded, the code stays.
/// docs/OPERATIONS.md has one catalogue row per code with what it means and what to do; a
/// test keeps the two in step. Codes are `PG-<AREA>-<NNN>`.
public enum LogCode: String, CaseIterable, Sendable, CustomStringConvertible {
    // Configuration and start-up
    case configRefused = "PG-CFG-001"
    case configWorldReadable = "PG-CFG-002"
    case setupUnfinished = "PG-CFG-010"
    case startFailed = "PG-RUN-001"
    case privateFileTightened = "PG-RUN-002"

    // systemd integration and runtime status
    case notifyFailed = "PG-SYS-001"
    case watchdogStalled = "PG-SYS-002"
    case statusWriteFailed = "PG-SYS-003"
    case journalUnavailable = "PG-SYS-004"

    // Device profiles
    case profileNotLoaded = "PG-PRF-001"
    case reloadFoundNoProfiles = "PG-PRF-002"
    case fixedPortUnknownProfile = "PG-PRF-003"

    // Device sessions
    case portOpenFailed = "PG-SES-001"
    case sessionNotRecorded = "PG-SES-002"
    case protocolHasNoSession = "PG-SES-003"
    case sessionEndNotRecorded = "PG-SES-004"
    case deviceUnplugged = "PG-SES-005"
    case deviceStoppedAnswering = "PG-SES-006"
    case sessionFailed = "PG-SES-007"
    case recordNotDecoded = "PG-SES-008"
    case noReplyResending = "PG-SES-009"
    case notThisProtocol = "PG-SES-010"
    case modelNotListed = "PG-SES-011"
    case deviceTextChanged = "PG-SES-012"
    case recordNumberingRestarted = "PG-SES-013"
    case undecodedRecordsNotKept = "PG-SES-014"
    case storeKeepsNoMoreProblems = "PG-SES-015"

    // Bluetooth LE
    case bleNotificationsDropped = "PG-BLE-001"
    case bleDiscoveryFailed = "PG-BLE-002"
    case bleUnavailable = "PG-BLE-003"

    // Classic Bluetooth serial (SPP) devices bound with `pocgate bt bind`
    case btBindingsRefused = "PG-SPP-001"
    case btProfileUnavailable = "PG-SPP-002"
    case btBoundDeviceUnknown = "PG-SPP-003"
    case btBoundProfileMissing = "PG-SPP-004"

    // Device time
    case clockSkewCorrected = "PG-CLK-001"
    case clockReadingsHeld = "PG-CLK-002"

    // Discovery (libudev)
    case udevNotRunning = "PG-DSC-001"
    case usbIdentityUnreadable = "PG-DSC-002"
    case monitorPollFailed = "PG-DSC-003"
    case monitorSocketFailed = "PG-DSC-004"

    // HID devices (hidraw, CP2110 bridges)
    case hidOpenFailed = "PG-HID-001"
    case transportNotServed = "PG-HID-002"

    // Uplink
    case outboxUnreadable = "PG-UPL-001"
    case deliveryNotRecorded = "PG-UPL-002"
    case refusalNotRecorded = "PG-UPL-003"
    case readingRefused = "PG-UPL-004"
    case failedBatchNotRescheduled = "PG-UPL-005"
    case tlsFailure = "PG-UPL-006"
    case batchRefused = "PG-UPL-007"
    case deliveryFailed = "PG-UPL-008"
    case outboxScheduleUnreadable = "PG-UPL-009"
    case batchUnreadable = "PG-UPL-010"
    case batchReadingsUnreadable = "PG-UPL-011"
    case readingDeferred = "PG-UPL-012"
    case batchSplit = "PG-UPL-013"
    case redirectRefused = "PG-UPL-014"
    case retryAfterCapped = "PG-UPL-015"
    case centerUnreachable = "PG-UPL-016"
    case centerTimedOut = "PG-UPL-017"
    case connectionBrokeOff = "PG-UPL-018"
    case clientCertificateRefused = "PG-UPL-019"

    // `pocgate demo`
    case demoReceiverFailed = "PG-DEM-001"
    case demoMeterFailed = "PG-DEM-002"

    // `pocgate devices`
    case devicesListFailed = "PG-DEV-001"
    case devicesProfileSkipped = "PG-DEV-002"
    case devicesNoProfiles = "PG-DEV-003"
    case devicesConfigNotRead = "PG-DEV-004"

    // Device profiles at runtime: reload, probing, Bluetooth
    case profileRejectedKeptPrevious = "PG-DVP-001"
    case profileWatchFailed = "PG-DVP-002"
    case bluetoothAddressUnreadable = "PG-DVP-003"
    case probeFoundNoProfile = "PG-DVP-004"
    case portQuietBackingOff = "PG-DVP-005"
    case profileRemovedPortReleased = "PG-DVP-006"

    // Patients (binding, resident IDs)
    case patientUnbound = "PG-PAT-001"
    case patientIDInvalid = "PG-PAT-002"
    case patientBindingChanged = "PG-PAT-003"
    case heldReadingsReleased = "PG-PAT-004"
    case patientAttached = "PG-PAT-005"
    case ecgWithoutPatient = "PG-PAT-006"

    // Values (analyte tables)
    case valueHeld = "PG-VAL-001"

    // Heartbeat to the data center
    case heartbeatFailed = "PG-HBT-001"
    case heartbeatRecovered = "PG-HBT-002"
    case fleetReportUnreadable = "PG-HBT-003"

    // Local metrics file
    case metricsWriteFailed = "PG-MET-001"

    /// The code as logged, e.g. `PG-SES-001`.
    public var description: String { rawValue }
}
