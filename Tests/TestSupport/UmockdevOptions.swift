/// The scenarios `Tests/Harness/umockdev_meter.py` plays.
public enum UmockdevScenario: String, Sendable {
    /// Plug the meter once, let the program dump it, stop the program.
    case plug
    /// Plug on port A, wait for a full dump, unplug, plug the same meter on port B
    /// (new sysfs path, /dev/ttyUSB1), let it dump again, stop.
    case replug
    /// Plug, unplug abruptly after `cutAfter` records were read, replug on port B.
    case unplugMidDump = "unplug-mid-dump"
    /// Plug the meter, a CH340 without strings, a cable with a non-hex idVendor, ttyS0,
    /// rfcomm0 and virtual consoles before the program starts; wait for it to exit.
    case plugList = "plug-list"
    /// Before the program starts: a connected RFCOMM tty below a USB Bluetooth dongle
    /// (rfcomm0) and a bound, unconnected one (rfcomm1); wait for the program to exit.
    case bluetoothList = "bluetooth-list"
    /// Start the program, plug the meter, wait for `unclaimedLine`, copy `reloadCopy` into the
    /// program's profile directory, SIGHUP it (unless `noSighup`), wait for the dump, stop.
    case plugReload = "plug-reload"
    /// Plug; after `cutAfter` records were read, copy `reloadCopy` (a new version of the
    /// profile in use) and SIGHUP the program; wait for `untilLogLine` twice (the session in
    /// progress, then the next one); stop.
    case reloadMidDump = "reload-mid-dump"
}

/// Knobs of a harness run; nil leaves the script's default (see `--help`).
public struct UmockdevOptions: Sendable {
    /// Records in the meter's memory (script default 60).
    public var records: Int?
    /// The meter's 16-hex-digit serial.
    public var meterSerial: String?
    /// The cable's USB `serial` attribute.
    public var usbSerial: String?
    /// Make records 4 and 5 identical.
    public var duplicatePair = false
    /// Family `ultra2`: play the original OneTouch Ultra (record lines without meal and comment).
    public var ultraOriginal = false
    /// unplug-mid-dump: records read before the cable is pulled.
    public var cutAfter: Int?
    /// Port A present before the program starts (the enumeration path).
    public var preplug = false
    /// Add ttyS0, virtual consoles and rfcomm0; hotplug a virtual ttyprintk after start.
    public var extraTTYs = false
    /// Re-send `add` for port A after its dump, as `udevadm trigger` does.
    public var retrigger = false
    /// Seconds between new measurements the meter takes while plugged (records shift by one);
    /// `expected.json` then lists the final memory.
    public var newRecordEvery: Double?
    /// At most this many new measurements per plug.
    public var maxNewRecords: Int?
    /// Milliseconds the meter waits before each reply (wire time).
    public var replyDelayMillis: Double?
    /// TaiDoc on a tty: KiB of garbage the meter writes before each reply (`line_noise.py`).
    public var sprayKiBPerReply: Int?
    /// The meter's clock at each plug: `now` (the real wall time in `meterZone`) or an ISO local
    /// time; nil = 30 minutes after the newest record (the emulator's default).
    public var meterClock: String?
    /// IANA zone of `meterClock` `now` (script default Asia/Shanghai).
    public var meterZone: String?
    /// Seconds added to the meter's clock (negative: a slow meter).
    public var meterClockOffsetSeconds: Int?
    /// Regex the program prints once it listens for uevents.
    public var readyLine: String?
    /// Regex that ends a phase, searched in the program's output after each plug.
    public var untilLogLine: String?
    /// Regex the program prints after an unplug.
    public var removedLine: String?
    /// Seconds to wait after an unplug when `removedLine` is nil.
    public var pause: Double?
    /// Quiet seconds on the line that end a phase.
    public var settle: Double?
    /// Bound of each wait, seconds.
    public var phaseTimeout: Double?
    /// Bound of the whole scenario, seconds; the Swift side waits 30 s longer.
    public var timeout: Double = 120
    /// Seconds between SIGTERM and SIGKILL at the end.
    public var termTimeout: Double?
    /// plug-reload: regex the program prints when no profile claims the plugged port.
    public var unclaimedLine: String?
    /// plug-reload: the profile file to copy, and where.
    public var reloadCopy: (source: String, target: String)?
    /// plug-reload: copy only; the program must notice the change itself.
    public var noSighup = false
    /// The 4 digits the emulated device's model reply gives (default 4277).
    public var meterModel: String?
    /// The emulated memory: `glucose` (default), `two-in-one` (blood pressure and glucose),
    /// `thermometer`.
    public var memory: String?
    /// The meter played on the cable: `taidoc` (default), `ultra2` (OneTouch Ultra 2),
    /// `ultramini`, `verio-iq` or another of `Tests/Harness/umockdev_meter.py`'s families.
    public var family: String?
    /// The meter's USB side: `tty` (default, a USB-serial cable), `cp2110` (an on-board CP2110
    /// HID-to-UART bridge read through hidraw, `Tests/Harness/hid_device.py`) or `hid` (the
    /// meter's frames in plain HID reports, `hidID`, `hidInterface`, `hidReportSize`).
    public var link: String?
    /// hid: the device's USB `vendor:product` (4 hex digits each).
    public var hidID: String?
    /// hid: the HID interface's `bInterfaceNumber`.
    public var hidInterface: Int?
    /// hid: the longest input report the device sends.
    public var hidReportSize: Int?
    /// cp2110: the baud the meter's UART runs at (default 19200); bytes flow only once the
    /// gateway configured the bridge to it.
    public var cp2110Baud: Int?
    /// verio-iq: the index of a control-solution record (default none).
    public var controlRecord: Int?

    public init() {}

    var arguments: [String] {
        var arguments: [String] = ["--timeout", "\(timeout)"]
        func add(_ flag: String, _ value: (any CustomStringConvertible)?) {
            if let value { arguments += [flag, value.description] }
        }
        add("--records", records)
        add("--meter-serial", meterSerial)
        add("--usb-serial", usbSerial)
        add("--cut-after", cutAfter)
        add("--ready-line", readyLine)
        add("--until-log-line", untilLogLine)
        add("--removed-line", removedLine)
        add("--pause", pause)
        add("--settle", settle)
        add("--phase-timeout", phaseTimeout)
        add("--term-timeout", termTimeout)
        add("--new-record-every", newRecordEvery)
        add("--max-new-records", maxNewRecords)
        add("--reply-delay-ms", replyDelayMillis)
        add("--spray-kib-per-reply", sprayKiBPerReply)
        add("--meter-clock", meterClock)
        add("--meter-zone", meterZone)
        add("--meter-clock-offset-s", meterClockOffsetSeconds)
        add("--unclaimed-line", unclaimedLine)
        add("--meter-model", meterModel)
        add("--memory", memory)
        add("--family", family)
        add("--link", link)
        add("--cp2110-baud", cp2110Baud)
        add("--hid-id", hidID)
        add("--hid-interface", hidInterface)
        add("--hid-report-size", hidReportSize)
        add("--control-record", controlRecord)
        if let copy = reloadCopy { arguments += ["--reload-copy", copy.source, copy.target] }
        for (flag, isOn) in [("--duplicate-pair", duplicatePair), ("--ultra-original", ultraOriginal), ("--preplug", preplug),
                             ("--extra-ttys", extraTTYs), ("--retrigger", retrigger),
                             ("--no-sighup", noSighup)] where isOn {
            arguments.append(flag)
        }
        return arguments
    }
}
