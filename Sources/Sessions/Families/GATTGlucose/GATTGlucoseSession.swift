import DeviceProfiles
public import FrameParsing
import Logging
import PocGateCore
import Transports

/// One transfer from a Bluetooth SIG glucose meter (Glucose Service 1.0, Glucose Profile 1.0):
///
/// 1. identity: Device Information model and serial, Current Time for the clock check, when
///    the meter has them;
/// 2. subscribe to Glucose Measurement (0x2A18) and Glucose Measurement Context (0x2A34)
///    notifications and Record Access Control Point (0x2A52) indications, before any write
///    (a RACP written with indications off answers ATT error 0x81);
/// 3. write RACP "report stored records": all records when this gateway stored none from the
///    meter, else sequence number ≥ the last stored + 1 (`SessionSink.latestRecordKey`);
/// 4. hand every measurement (with its context) to the sink as it arrives, until the RACP
///    response code: success or "no records found" ends the transfer;
/// 5. when "≥ last stored + 1" found nothing, ask for the meter's last record: a sequence
///    number below the last stored means the meter numbers from 1 again (factory reset, some
///    meters after a battery change), and then every record is asked for (`PG-SES-013`);
///    otherwise there was nothing new. The session ends `complete`.
///
/// Only RACP report requests are ever written (`GATTRecordAccessControlPoint.mayTransmit`):
/// never delete or abort. A value BlueZ hands over twice in a row is read once, and the store
/// keeps a record reported again once (same key). The meter going silent for the reply window
/// (`reply_timeout_ms` × (`retries` + 1)) ends the session timed out; a disconnect ends it
/// unplugged; both keep every record stored so far, and the next session asks from there.
public final class GATTGlucoseSession: LiveSession {
    static let service = ReadOnlyGATT.sig(0x1808)
    static let measurement = ReadOnlyGATT.sig(0x2A18)
    static let context = ReadOnlyGATT.sig(GATTGlucoseContext.uuid)
    static let racp = ReadOnlyGATT.sig(GATTRecordAccessControlPoint.uuid)
    /// The prefix of every glucose record key (`GATTGlucoseRecord.recordKey`).
    static let keyPrefix = "gls|"

    private let link: any DeviceLink
    private let profile: DeviceProfile
    private let logger: Logger
    private let fallbackSerial: String
    public private(set) var counters = DecodeCounters()
    public var pendingBytes: Int { 0 }

    public init(context: SessionContext) {
        link = context.link
        profile = context.profile
        logger = context.logger
        fallbackSerial = context.fallbackSerial
    }

    /// Whether `bytes` may be written to `characteristic`: RACP report requests only.
    public static func mayWrite(_ characteristic: String, _ bytes: [UInt8]) -> Bool {
        characteristic == racp && GATTRecordAccessControlPoint.mayTransmit(bytes)
    }

    /// The sequence number in a stored glucose record key (`gls|<seq>|…`).
    static func sequenceNumber(inKey key: String) -> UInt16? {
        let parts = key.split(separator: "|", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count >= 2, parts[0] == "gls" else { return nil }
        return UInt16(parts[1])
    }

    public func run(into sink: any SessionSink) -> SessionSummary {
        SessionSummary.of { (summary: inout SessionSummary) throws(SessionEnding) in
            guard let access = link as? any GATTAccess else {
                throw SessionEnding(outcome: .transportFailed("profile \(profile.id) needs 'transport: ble-gatt'"))
            }
            let gatt = ReadOnlyGATT(access, mayWrite: Self.mayWrite)
            guard gatt.has(Self.service, Self.measurement), gatt.has(Self.service, Self.racp) else {
                throw SessionEnding(outcome: .notThisProtocol(
                    "the device has no Glucose Service (1808) with Glucose Measurement (2a18) and Record Access Control Point (2a52)"))
            }
            let identity = GATTIdentity.read(gatt, fallbackSerial: fallbackSerial, defaultModel: profile.name, logger: logger)
            do { try sink.identified(serial: identity.serial, model: identity.model, deviceClock: identity.clock) } catch {
                throw SessionEnding(outcome: .storeFailed("\(error)"))
            }
            summary.deviceSerial = identity.serial
            var assembler = GATTGlucoseAssembler(profileID: profile.id, serial: identity.serial, model: identity.model)
            do throws(LinkError) {
                try gatt.subscribe(Self.service, Self.measurement)
                if gatt.has(Self.service, Self.context) { try gatt.subscribe(Self.service, Self.context) }
                try gatt.subscribe(Self.service, Self.racp)
            } catch {
                throw SessionEnding(error)
            }
            let lastStored = sink.latestRecordKey(prefix: Self.keyPrefix).flatMap(Self.sequenceNumber(inKey:))
            let first = try report(lastStored.map(GATTRecordAccessControlPoint.Request.after(lastStored:)) ?? .reportAll,
                                   gatt, &assembler, sink, &summary)
            if let lastStored, first.noRecordsFound {
                let meterLast = try report(.reportLast, gatt, &assembler, sink, &summary).highestSequence
                if let meterLast, meterLast < lastStored {
                    logger.warning("the meter numbers its records from 1 again; asking it for every record",
                                   metadata: ["code": "\(LogCode.recordNumberingRestarted)",
                                              "last_stored": "\(lastStored)", "meter_last": "\(meterLast)"])
                    _ = try report(.reportAll, gatt, &assembler, sink, &summary)
                }
            }
            try deliver(assembler.finish(), sink, &summary)
            summary.recordsAnnounced = summary.recordsRead
        }
    }

    /// How one report request ended.
    struct ReportEnd {
        /// The meter answered "no records found".
        var noRecordsFound = false
        /// The highest sequence number among the measurements it reported.
        var highestSequence: UInt16?
    }

    /// Writes one report request and reads what it reports.
    private func report(_ request: GATTRecordAccessControlPoint.Request, _ gatt: ReadOnlyGATT,
                        _ assembler: inout GATTGlucoseAssembler, _ sink: any SessionSink,
                        _ summary: inout SessionSummary) throws(SessionEnding) -> ReportEnd {
        logger.debug("asking the meter for its stored records", metadata: ["racp": "\(request)"])
        do throws(LinkError) { try gatt.write(Self.service, Self.racp, request.bytes) } catch {
            try deliver(assembler.finish(), sink, &summary)
            throw SessionEnding(error)
        }
        return try transfer(gatt, &assembler, sink, &summary)
    }

    /// Reads values until the RACP answers the report request.
    private func transfer(_ gatt: ReadOnlyGATT, _ assembler: inout GATTGlucoseAssembler, _ sink: any SessionSink,
                          _ summary: inout SessionSummary) throws(SessionEnding) -> ReportEnd {
        let window = max(100, profile.session.replyTimeoutMillis) * (max(0, profile.session.retries) + 1)
        var previous: GATTValue?
        var end = ReportEnd()
        while true {
            if sink.shouldStop { throw SessionEnding(outcome: .stopped) }
            let next: GATTValue?
            do throws(LinkError) { next = try gatt.nextValue(timeoutMillis: window) } catch {
                // What arrived before the link went away is kept.
                try deliver(assembler.finish(), sink, &summary)
                throw SessionEnding(error)
            }
            guard let value = next else {
                try deliver(assembler.finish(), sink, &summary)
                throw SessionEnding(outcome: .timedOut(command: "report stored records"))
            }
            if value == previous { continue }   // the same value handed over twice
            previous = value
            switch value.characteristic {
            case Self.measurement:
                if let sequence = GATTGlucoseRecord.sequenceNumber(in: value.bytes) {
                    end.highestSequence = max(end.highestSequence ?? 0, sequence)
                }
                try deliver(assembler.measurement(value.bytes), sink, &summary)
            case Self.context: try deliver(assembler.context(value.bytes), sink, &summary)
            case Self.racp:
                let response: GATTRecordAccessControlPoint.Response
                do { response = try GATTRecordAccessControlPoint.decodeResponse(value.bytes) } catch {
                    counters.malformed += 1
                    sink.rejected("record access control point: \(error)", raw: value.bytes)
                    continue
                }
                if response.endsReportWithoutError {
                    end.noRecordsFound = response == .responseCode(
                        request: GATTRecordAccessControlPoint.OpCode.reportStoredRecords,
                        code: GATTRecordAccessControlPoint.ResponseCodeValue.noRecordsFound)
                    return end
                }
                guard case .responseCode = response else { continue }
                throw SessionEnding(outcome: .transportFailed("the meter answered the record request: \(response)"))
            default:
                continue
            }
        }
    }

    private func deliver(_ outcomes: [GATTGlucoseAssembler.Outcome], _ sink: any SessionSink,
                         _ summary: inout SessionSummary) throws(SessionEnding) {
        for outcome in outcomes {
            switch outcome {
            case let .reading(reading):
                summary.recordsRead += 1
                if try sink.deliver(reading) { summary.recordsNew += 1 }
            case let .problem(raw, why):
                counters.malformed += 1
                sink.rejected(why, raw: raw)
            }
        }
    }

    /// The readings and problems of `outcomes`, for replay.
    static func collect(_ outcomes: [GATTGlucoseAssembler.Outcome], into out: inout DecodedCapture) {
        for outcome in outcomes {
            switch outcome {
            case let .reading(r): out.readings.append(r)
            case let .problem(_, why): out.problems.append(why)
            }
        }
    }
}
