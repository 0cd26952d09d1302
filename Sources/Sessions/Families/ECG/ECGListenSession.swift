public import DeviceProfiles
public import Transports
public import FrameParsing
public import Logging
import PocGateCore

/// A 12-lead ECG cart pushing records (SCP-ECG files or the framed transfer) down a serial
/// line: the gateway listens and answers nothing. The transport is wrapped in an allow-list
/// that admits no byte at all, so the session cannot disturb the cart.
///
/// A cart sends when its operator presses "transmit", at any time, and a closed tty drops what
/// arrives, so the session keeps the port open and listens until the daemon stops, the cart is
/// unplugged, or the line stays silent for the profile's `session.quiet_time_s` (when set).
/// Each record's readings go to the sink as soon as the record is complete and checked.
///
/// A cart whose records name no serial is identified by `fallbackSerial` (its USB serial or
/// this gateway and port), never by a shared placeholder. A link on which the first
/// `notSCPLimit` bytes hold no SCP-ECG record marker is not an SCP-ECG cart: the session ends
/// `.notThisProtocol` so the technician sees it in the log and `pocgate status`.
public final class ECGListenSession: LiveSession {
    /// Which of the two ECG encodings the cart sends.
    public enum Encoding: Sendable {
        case scp
        case framedTransfer
    }

    private let transport: any DeviceLink
    private let profile: DeviceProfile
    private let encoding: Encoding
    private let logger: Logger
    private let idleLimitMillis: Int?
    private var scp: FrameReader<SCPFrameDecoder>
    private var framed: FrameReader<ECGTransferFrameDecoder>
    private var identified = false
    private let fallbackSerial: String
    /// Bytes received before the first SCP-ECG marker (nil once one was seen).
    private var bytesWithoutMarker: Int? = 0
    /// The tail of the previous chunk, so a marker split across two reads is found.
    private var markerTail: [UInt8] = []

    /// How many bytes without an SCP-ECG record marker prove the link carries something else:
    /// every record has `SCPECG` at bytes 16…21, so one record's worth of bytes (the smallest
    /// 12-lead rhythm record is larger than this) without it is not a cart's false start.
    public static let notSCPLimit = 4096

    /// - Parameter idleLimitMillis: end the session after this long without a byte
    ///   (`complete` when records arrived, `quiet` when none did); nil: the profile's
    ///   `session.quiet_time_s`, and without one it listens until stopped or unplugged.
    /// - Parameter fallbackSerial: the device identity for records that carry no serial
    ///   (`FallbackDeviceSerial.forPort`).
    public init(transport: any DeviceLink, profile: DeviceProfile, encoding: Encoding, logger: Logger,
                idleLimitMillis: Int? = nil, fallbackSerial: String) {
        self.fallbackSerial = fallbackSerial
        self.transport = ReadOnlyLink(transport, mayTransmit: { _ in false })
        scp = FrameReader(SCPFrameDecoder(), link: self.transport, chunkSize: 16 * 1024)
        framed = FrameReader(ECGTransferFrameDecoder(), link: self.transport, chunkSize: 16 * 1024)
        self.profile = profile
        self.encoding = encoding
        self.logger = logger
        self.idleLimitMillis = idleLimitMillis ?? profile.session.listenWindowMillis(default: nil)
    }

    /// Bytes and records skipped so far.
    public var counters: DecodeCounters { encoding == .scp ? scp.counters : framed.counters }

    /// Bytes read but not part of a whole record.
    public var pendingBytes: Int { encoding == .scp ? scp.pendingBytes : framed.pendingBytes }

    /// Listens until stopped, unplugged or idle; never throws.
    public func run(into sink: any SessionSink) -> SessionSummary {
        .of { summary throws(SessionEnding) in try listen(sink, &summary) }
    }

    private func listen(_ sink: any SessionSink, _ summary: inout SessionSummary) throws(SessionEnding) {
        var quietMillis = 0
        let slice = 500
        while true {
            if sink.shouldStop { throw SessionEnding(outcome: .stopped) }
            if let limit = idleLimitMillis, quietMillis >= limit {
                if summary.recordsRead == 0 { throw SessionEnding(outcome: .quiet) }
                return
            }
            let n: Int
            switch encoding {
            case .scp: n = try scp.fill(timeoutMillis: slice) { self.noteMarker(in: $0) }
            case .framedTransfer: n = try framed.fill(timeoutMillis: slice)
            }
            guard n > 0 else { quietMillis += slice; continue }
            quietMillis = 0
            try drain(sink, &summary)
            if let seen = bytesWithoutMarker, seen >= Self.notSCPLimit, summary.recordsRead == 0 {
                throw SessionEnding(outcome: .notThisProtocol(
                    "not an SCP-ECG cart: \(seen) bytes arrived without an SCP-ECG record (no 'SCPECG' marker); "
                    + "check that the cart is set to send SCP-ECG and that this port has the right profile"))
            }
        }
    }

    /// Counts bytes until the first SCP-ECG marker is seen in the stream.
    private func noteMarker(in chunk: UnsafeRawBufferPointer) {
        guard let seen = bytesWithoutMarker else { return }
        let marker = SCPFrameDecoder.marker
        var window = markerTail
        window.append(contentsOf: chunk)
        let found = window.count >= marker.count
            && (0...(window.count - marker.count)).contains { i in window[i..<(i + marker.count)].elementsEqual(marker) }
        if found {
            bytesWithoutMarker = nil
            markerTail = []
        } else {
            bytesWithoutMarker = seen + chunk.count
            markerTail = Array(window.suffix(marker.count - 1))
        }
    }

    /// Hands every complete record's readings to the sink.
    private func drain(_ sink: any SessionSink, _ summary: inout SessionSummary) throws(SessionEnding) {
        while true {
            var ecg: (readings: [Reading], serial: String?, model: String)?
            var problem: String?
            switch encoding {
            case .scp:
                guard let frame = scp.buffered() else { return }
                switch SCPDump.readings(frame, profileID: profile.id, fallbackSerial: fallbackSerial) {
                case let .success((readings, record)): ecg = (readings, record.deviceSerial, record.deviceModel ?? SCPDump.model)
                case let .failure(p): problem = p.description
                }
            case .framedTransfer:
                guard let frame = framed.buffered() else { return }
                switch frame.record() {
                case let .success(record):
                    let serial = record.deviceSerial ?? fallbackSerial
                    ecg = (record.readings(profileID: profile.id, serial: serial, model: ECGTransferDump.model,
                                           raw: frame.headerBytes), record.deviceSerial, ECGTransferDump.model)
                case let .failure(p): problem = p.description
                }
            }
            if let ecg {
                try deliver(ecg.readings, serial: ecg.serial ?? fallbackSerial, model: ecg.model, sink, &summary)
            } else if let problem {
                sink.rejected("ECG record refused: \(problem)", raw: [])
            }
        }
    }

    private func deliver(_ readings: [Reading], serial: String, model: String, _ sink: any SessionSink,
                         _ summary: inout SessionSummary) throws(SessionEnding) {
        do {
            if !identified {
                identified = true
                summary.deviceSerial = serial
                try sink.identified(serial: serial, model: model, deviceClock: nil)
            }
            summary.recordsAnnounced += 1
            summary.recordsRead += 1
            var new = false
            for r in readings where try sink.received(r) { new = true }
            if new { summary.recordsNew += 1 }
        } catch let full as SinkFullError {
            throw SessionEnding(outcome: .storeFull(full.detail))
        } catch {
            throw SessionEnding(outcome: .storeFailed("\(error)"))
        }
    }
}
