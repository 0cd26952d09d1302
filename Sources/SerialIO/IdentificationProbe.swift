public import DeviceProfiles
import FrameParsing
import PocGateCore

/// A protocol's read-only identification exchange, used to tell which of several profiles
/// speaks to the device behind a generic USB bridge (PL2303, CP210x, CH340, FTDI): one
/// request that reads an identity and changes nothing, a strict reply timeout, a few tries.
///
/// The probe's transport lets only `request` leave the port: not even the protocol's other
/// read commands, and never a write (clock set, memory clear).
public struct IdentificationProbe: Sendable {
    /// The protocol probed.
    public let family: ProtocolFamily
    /// The one frame the probe sends, e.g. TaiDoc read-model (0x24).
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

    /// The probe of `profile`'s protocol, with its timeout capped at 1 s and at most 2 tries;
    /// nil when the protocol has no identification command pocgate can send.
    public static func of(_ profile: DeviceProfile) -> IdentificationProbe? {
        let timeout = min(profile.session.replyTimeoutMillis, 1_000)
        let attempts = min(max(profile.session.retries, 1), 2)
        switch profile.protocol {
        case .taidocTD42xx, .taidocBloodPressure:
            // Answered only by a model the profile lists: the model decides the record layouts,
            // so a 2-in-1 meter, a thermometer and a glucose meter on the same cable id each
            // go to the profile that can read them.
            let request = TaiDocFrame.request(.readModel)
            let models = profile.taidocModelTable
            return IdentificationProbe(family: profile.protocol, request: request.bytes, replyTimeoutMillis: timeout,
                                       attempts: attempts) { bytes in
                var stream = FrameStream(TaiDocFrameDecoder(direction: .meterToHost))
                stream.append(bytes)
                while let frame = stream.next() {
                    if frame.command == request.command {
                        let model = TaiDocPayload.model(frame.payload)
                        return models.layouts[model] == nil ? nil : "model \(model)"
                    }
                }
                return nil
            }
        case .onetouchUltra2:
            // The serial request: read only, answered by `@ "SERIAL"` with a good checksum.
            return IdentificationProbe(family: .onetouchUltra2, request: Ultra2Command.readSerial.bytes, replyTimeoutMillis: timeout,
                                       attempts: attempts) { bytes in
                var stream = FrameStream(Ultra2LineDecoder())
                stream.append(bytes)
                while let line = stream.next() {
                    if case .serial = line.kind, let serial = line.serial { return "serial \(serial)" }
                }
                return nil
            }
        case .lifescanBinary:
            // The link-opening frame: no request, answered by an acknowledge with a good CRC.
            return IdentificationProbe(family: .lifescanBinary, request: LifeScanSession.openLink.bytes, replyTimeoutMillis: timeout,
                                       attempts: attempts) { bytes in
                var stream = FrameStream(LifeScanFrameDecoder())
                stream.append(bytes)
                while let frame = stream.next() {
                    if frame.link.contains(.acknowledge) { return "link acknowledged" }
                }
                return nil
            }
        case .declarative:
            return declarative(profile, timeout: timeout, attempts: attempts)
        default:
            // No read-only identification request pocgate may send, or the device speaks
            // first (IEEE 11073 agents, ASTM and HL7 senders), or probing would start a
            // measurement (the AA 55 kiosk board): never probed.
            return nil
        }
    }

    /// A declarative profile's probe: the first step of its `session.script` when that step
    /// sends a fixed, read-only command (`writes: false`, no loop index); a frame of one of the
    /// step's expected record types answers it. Nil for a script that starts otherwise.
    static func declarative(_ profile: DeviceProfile, timeout: Int, attempts: Int) -> IdentificationProbe? {
        guard let plan = profile.declarative, case let .send(index, expect, stepTimeout, _)? = plan.spec.script.first else {
            return nil
        }
        let command = plan.spec.commands[index]
        guard !command.writes, !command.tokens.contains(.indexLow), !command.tokens.contains(.indexHigh) else { return nil }
        let decoder = plan.decoder
        let names = plan.spec.records.map(\.name)
        let wanted = Set(expect)
        return IdentificationProbe(family: .declarative, request: plan.frame(for: command),
                                   replyTimeoutMillis: min(timeout, stepTimeout), attempts: attempts) { bytes in
            var stream = FrameStream(decoder)
            stream.append(bytes)
            while let frame = stream.next() {
                if wanted.contains(frame.record) { return "\(command.name) answered with \(names[frame.record])" }
            }
            return nil
        }
    }

    init(family: ProtocolFamily, request: [UInt8], replyTimeoutMillis: Int, attempts: Int,
         answer: @escaping @Sendable ([UInt8]) -> String?) {
        self.family = family
        self.request = request
        self.replyTimeoutMillis = replyTimeoutMillis
        self.attempts = attempts
        self.answer = answer
    }

    /// Sends the request (only it: anything else is refused by the wrapper) and waits for a
    /// valid answer. Bytes left from a previous probe are discarded first.
    public func run(on transport: any ByteTransport) -> Outcome {
        let request = self.request
        let guarded = ReadOnlyTransport(transport, mayTransmit: { $0 == request })
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 256)
        for _ in 0..<attempts {
            guarded.discardInput()
            received.removeAll(keepingCapacity: true)
            do throws(TransportError) {
                try guarded.write(request, timeoutMillis: replyTimeoutMillis)
                let deadline = Monotonic.millis() + Int64(replyTimeoutMillis)
                while true {
                    let left = deadline - Monotonic.millis()
                    if left <= 0 { break }
                    let result: Result<Int, TransportError> = buffer.withUnsafeMutableBytes { b in
                        do throws(TransportError) {
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
