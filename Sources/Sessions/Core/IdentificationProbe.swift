public import DeviceProfiles
import FrameParsing
import PocGateCore
public import Transports

/// A protocol's read-only identification exchange, used to tell which of several profiles
/// speaks to the device behind a generic USB bridge (PL2303, CP210x, CH340, FTDI): one
/// request that reads an identity and changes nothing, a strict reply timeout, a few tries.
///
/// The probe's transport lets only `request` leave the port: not even the protocol's other
/// read commands, and never a write (clock set, memory clear).
public struct IdentificationProbe: Sendable {
    /// The protocol probed.
    public let family: ProtocolFamily
    /// The one frame the probe sends, e.g. TaiDoc read-model (0x24); empty: it only listens.
    public let request: [UInt8]
    /// How long to wait for the answer to each try.
    public let replyTimeoutMillis: Int
    /// How often the request is sent before the device counts as not speaking the protocol.
    public let attempts: Int
    /// Whether a complete frame the device sent answers `request`; returns what it said.
    private let answer: @Sendable ([UInt8]) -> String?

    /// What came back.
    public enum Outcome: Sendable, Equatable {
        /// A valid answer: the device speaks the protocol. `detail` names what it reported.
        case answered(detail: String)
        /// No valid answer within the tries.
        case silent
        /// The port failed (unplugged, I/O error).
        case failed(String)
    }

    /// The probe of `profile`'s family (its driver's), with the timeout capped at 1 s and at
    /// most 2 tries; nil when the family has no identification command pocgate may send, or
    /// the device speaks first (IEEE 11073 agents, ASTM and HL7 senders), or probing would
    /// start a measurement (the AA 55 kiosk board).
    public static func of(_ profile: DeviceProfile) -> IdentificationProbe? {
        ProtocolRegistry.driver(for: profile).probe?(profile)
    }

    /// The timeout and tries a probe of `profile` uses: its reply timeout capped at 1 s, at
    /// most 2 tries.
    public static func limits(_ profile: DeviceProfile) -> (timeoutMillis: Int, attempts: Int) {
        (min(profile.session.replyTimeoutMillis, 1_000), min(max(profile.session.retries, 1), 2))
    }

    /// A probe that sends `request` and is answered when `answer` finds, in the bytes received
    /// so far, a frame that answers it (returning what the device said).
    public init(family: ProtocolFamily, request: [UInt8], replyTimeoutMillis: Int, attempts: Int,
         answer: @escaping @Sendable ([UInt8]) -> String?) {
        self.family = family
        self.request = request
        self.replyTimeoutMillis = replyTimeoutMillis
        self.attempts = attempts
        self.answer = answer
    }

    /// Sends the request (only it: anything else is refused by the wrapper) and waits for a
    /// valid answer. Bytes left from a previous probe are discarded first.
    public func run(on transport: any DeviceLink) -> Outcome {
        let request = self.request
        let guarded = ReadOnlyLink(transport, mayTransmit: { $0 == request })
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 256)
        for _ in 0..<attempts {
            guarded.discardInput()
            received.removeAll(keepingCapacity: true)
            do throws(LinkError) {
                // An empty request listens only: for a device that speaks first and must not
                // be sent anything it does not expect.
                if !request.isEmpty { try guarded.write(request, timeoutMillis: replyTimeoutMillis) }
                let deadline = Monotonic.millis() + Int64(replyTimeoutMillis)
                while true {
                    let left = deadline - Monotonic.millis()
                    if left <= 0 { break }
                    let result: Result<Int, LinkError> = buffer.withUnsafeMutableBytes { b in
                        do throws(LinkError) {
                            return .success(try guarded.read(into: b, timeoutMillis: Int(left)))
                        } catch {
                            return .failure(error)
                        }
                    }
                    let n = try result.get()
                    if n == 0 { break }
                    received += buffer[0..<n]
                    if let detail = answer(received) { return .answered(detail: detail) }
                    // A chatty device cannot keep the probe busy forever.
                    if received.count > 4_096 { break }
                }
            } catch {
                return .failed(error.description)
            }
        }
        return .silent
    }
}
