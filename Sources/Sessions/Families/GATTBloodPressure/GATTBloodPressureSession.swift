import DeviceProfiles
public import FrameParsing
import Logging
import PocGateCore
import Transports

/// One connection of a Bluetooth SIG blood-pressure monitor (Blood Pressure Service 1.1,
/// Blood Pressure Profile 1.1): identity (Device Information, Current Time, when present),
/// subscribe to Blood Pressure Measurement (0x2A35) indications, and hand each indicated
/// measurement to the sink (the panel 85354-9 and the pulse 8867-4). Nothing is ever written.
///
/// The session ends `complete` when no indication came for the profile's quiet time
/// (`session.quiet_time_s`, default 10 s) after at least one, `quiet` when none came at all.
/// The monitor usually ends the connection itself once it sent its stored measurements: that
/// disconnect, with everything received stored, is this family's normal end (`complete`, or
/// `quiet` when it indicated nothing; logged at info), not a failure.
public final class GATTBloodPressureSession: LiveSession {
    static let service = ReadOnlyGATT.sig(0x1810)
    static let measurement = ReadOnlyGATT.sig(GATTBloodPressureRecord.uuid)
    static let defaultQuietMillis = 10_000

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

    /// Why a value became no reading, for the sink's problem line.
    struct Problem: Error, CustomStringConvertible {
        var description: String
    }

    /// The readings of one Blood Pressure Measurement value, or why it is none.
    static func readings(_ bytes: [UInt8], profileID: String, serial: String, model: String) -> Result<[Reading], Problem> {
        do throws(GATTDecodeError) {
            switch try GATTBloodPressureRecord.decode(bytes).readings(profileID: profileID, serial: serial, model: model) {
            case let .success(r): return .success(r)
            case let .failure(p): return .failure(Problem(description: p.description))
            }
        } catch {
            return .failure(Problem(description: error.description))
        }
    }

    public func run(into sink: any SessionSink) -> SessionSummary {
        SessionSummary.of { (summary: inout SessionSummary) throws(SessionEnding) in
            guard let access = link as? any GATTAccess else {
                throw SessionEnding(outcome: .transportFailed("profile \(profile.id) needs 'transport: ble-gatt'"))
            }
            let gatt = ReadOnlyGATT(access, mayWrite: { _, _ in false })
            guard gatt.has(Self.service, Self.measurement) else {
                throw SessionEnding(outcome: .notThisProtocol("the device has no Blood Pressure Service (1810) with Blood Pressure Measurement (2a35)"))
            }
            let identity = GATTIdentity.read(gatt, fallbackSerial: fallbackSerial, defaultModel: profile.name, logger: logger)
            do { try sink.identified(serial: identity.serial, model: identity.model, deviceClock: identity.clock) } catch {
                throw SessionEnding(outcome: .storeFailed("\(error)"))
            }
            summary.deviceSerial = identity.serial
            do throws(LinkError) { try gatt.subscribe(Self.service, Self.measurement) } catch { throw SessionEnding(error) }
            let quiet = profile.session.quietTimeSeconds.map { max(1, $0) * 1000 } ?? Self.defaultQuietMillis
            var seen: Set<[UInt8]> = []
            while true {
                if sink.shouldStop { throw SessionEnding(outcome: .stopped) }
                let next: GATTValue?
                do throws(LinkError) { next = try gatt.nextValue(timeoutMillis: quiet) } catch {
                    guard case .unplugged = error else { throw SessionEnding(error) }
                    logger.info("the monitor ended the connection; everything it indicated is stored",
                                metadata: ["records": "\(summary.recordsRead)"])
                    if summary.recordsRead == 0 { summary.outcome = .quiet }
                    break
                }
                guard let value = next else {
                    if summary.recordsRead == 0 { summary.outcome = .quiet }
                    break
                }
                // A copy of an indication (a second subscriber, a read) is read once; past the
                // bound the store's record keys still keep each once.
                if seen.contains(value.bytes) { continue }
                if seen.count < 4096 { seen.insert(value.bytes) }
                switch Self.readings(value.bytes, profileID: profile.id, serial: identity.serial, model: identity.model) {
                case let .success(readings):
                    summary.recordsRead += 1
                    var new = false
                    for r in readings {
                        if try sink.deliver(r) { new = true }
                    }
                    if new { summary.recordsNew += 1 }
                case let .failure(why):
                    counters.malformed += 1
                    sink.rejected(why.description, raw: value.bytes)
                }
            }
            summary.recordsAnnounced = summary.recordsRead
        }
    }
}
