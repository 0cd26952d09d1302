import Benchmark
import DeviceProfiles
import FrameParsing
import PocGateCore
import Sessions
#if canImport(Glibc)
import Glibc
#endif

/// The whole path, bytes → `Reading`s, as `pocgate replay` and the live sessions make them:
/// each codec's streaming capture decoder, fed 1 MiB pieces as replay reads them (framing,
/// record or dump assembly, mapping through the shipped profile, identity and record keys;
/// each reading handed on, none kept) over a capture of at least 64 MB built by
/// repeating a shipped capture (`DeviceProfiles/**/captures/*.bin`), then the `memchr` floor
/// over the same bytes in the same iteration. Both are timed in the thread's processor time
/// (`threadCPUSeconds`, HostileBenchmarks.swift), so the figures are per core on a shared machine.
struct WholePathCodec {
    /// The name in the benchmark and in BENCHMARKS.md.
    let name: String
    /// The shipped profile whose capture and tables are used.
    let profileID: String
    /// The capture, relative to the profile's folder.
    let capture: String
}

/// One codec per protocol family, each with a shipped capture of a real or constructed device.
let wholePathCodecs: [WholePathCodec] = [
    .init(name: "TaiDoc", profileID: "taidoc-td4277", capture: "captures/vectors.bin"),
    .init(name: "LifeScan", profileID: "lifescan-onetouch-ultramini", capture: "captures/conversation.bin"),
    .init(name: "Ultra2", profileID: "lifescan-onetouch-ultra2", capture: "captures/tidepool-dump.bin"),
    .init(name: "FreeStyle", profileID: "abbott-freestyle-optium", capture: "captures/xmem.bin"),
    .init(name: "CodeFree", profileID: "sd-codefree", capture: "captures/session.bin"),
    .init(name: "AA55 kiosk", profileID: "aa55-health-kiosk", capture: "captures/session.bin"),
    .init(name: "IEEE 11073", profileID: "continua-bp-monitor", capture: "captures/session.bin"),
    .init(name: "ECG transfer", profileID: "ecg-pgec-transfer", capture: "captures/resting-12-lead.bin"),
    .init(name: "SCP-ECG", profileID: "ecg-12-lead-cart", capture: "captures/resting-12-lead.bin"),
    .init(name: "HL7", profileID: "generic-hl7-health-kiosk", capture: "captures/kiosk-visits.bin"),
    .init(name: "ASTM", profileID: "generic-astm-poct", capture: "captures/transfer.bin"),
    .init(name: "ASTM Contour", profileID: "ascensia-contour", capture: "captures/transfer.bin"),
    .init(name: "Declarative TD-4277", profileID: "taidoc-td4277-declarative", capture: "captures/vectors.bin"),
]

/// Metrics of a whole-path iteration.
enum WholePathMetric {
    static let readingsPerSecond = BenchmarkMetric.custom("readings/s", polarity: .prefersLarger, useScalingFactor: false)
    static let mallocsPerHundredReadings = BenchmarkMetric.custom("mallocs per 100 readings", polarity: .prefersSmaller, useScalingFactor: false)
    static let all: [BenchmarkMetric] = [
        .wallClock, .cpuTotal, .mallocCountTotal, .throughput, ParserMetric.megabytesPerSecond, readingsPerSecond,
        mallocsPerHundredReadings, ParserMetric.floorMegabytesPerSecond, ParserMetric.percentOfFloor,
    ]
}

/// A repeated capture and the profile that decodes it.
struct WholePathInput {
    let profile: DeviceProfile
    let capture: Capture
    /// The capture in the pieces replay reads it in.
    let pieces: [[UInt8]]
    /// Copies of the shipped capture.
    let copies: Int
}

/// The repository root, from this file's place in it.
private let repositoryRoot: String = {
    var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
    parts.removeLast(4)   // Benchmarks/Benchmarks/ParserBenchmarks/WholePathBenchmarks.swift
    return parts.joined(separator: "/")
}()

/// The shipped profiles, loaded once as the daemon loads them.
private let shippedProfiles: ProfileCatalog = {
    let (catalog, issues) = ProfileCatalog.load(directories: [repositoryRoot + "/DeviceProfiles"], families: .builtIn)
    precondition(issues.isEmpty, "the shipped profiles do not load: \(issues)")
    return catalog
}()

/// What the device sent in a shipped capture file (a `pocgate capture` file or plain bytes).
private func deviceBytes(_ path: String) -> [UInt8] {
    guard let file = fopen(path, "rb") else { preconditionFailure("cannot open \(path)") }
    defer { fclose(file) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 1 << 16)
    while true {
        let n = fread(&buffer, 1, buffer.count, file)
        if n <= 0 { break }
        bytes += buffer[0..<n]
    }
    if CaptureFile.isCapture(bytes) { return (try? CaptureFile.deviceBytes(of: bytes)) ?? [] }
    return bytes
}

/// The fixed receive time replay gives a plain capture (it stamps AA 55 readings).
let wholePathReceivedAt = LocalDateTime(year: 2024, month: 6, day: 15, hour: 9, minute: 0, second: 0)

/// What one whole-path decode produced.
struct WholePathCount {
    var readings = 0
    var problems = 0
    var firstProblem: String?
}

/// The decode `pocgate replay` runs for `profile`: its family driver's streaming decoder
/// (`ProtocolDriver.streamCapture`, as `pocgate replay` streams a plain capture) fed the
/// capture in its 1 MiB pieces, each reading handed on as it is made and not kept; a family
/// without one decodes the whole capture (`decodeCapture`, as replay does for it).
func wholePathDecode(_ pieces: [[UInt8]], _ profile: DeviceProfile) -> WholePathCount {
    var count = WholePathCount()
    let driver = ProtocolRegistry.driver(for: profile)
    guard let makeStream = driver.streamCapture else {
        let result = driver.decodeCapture(ReplayInput(bytes: Array(pieces.joined()), receivedAt: wholePathReceivedAt), profile)
        count.readings = result.readings.count
        count.problems = result.problems.count
        count.firstProblem = result.problems.first
        blackHole(result)
        return count
    }
    var stream = makeStream(profile)
    let take: (CaptureEvent) -> Void = { event in
        switch event {
        case let .reading(r):
            count.readings += 1
            blackHole(r)
        case let .problem(p):
            count.problems += 1
            if count.firstProblem == nil { count.firstProblem = p }
        }
    }
    for piece in pieces { stream.feed(piece, receivedAt: wholePathReceivedAt, emit: take) }
    blackHole(stream.finish(emit: take))
    return count
}

/// The size of the pieces `pocgate replay` reads a plain capture in.
let wholePathPieceBytes = 1 << 20

/// The shipped capture of `codec` repeated to at least `captureBytes`.
func wholePathInput(_ codec: WholePathCodec) -> WholePathInput {
    guard let profile = shippedProfiles.profile(id: codec.profileID) else {
        preconditionFailure("no shipped profile \(codec.profileID)")
    }
    let folder = String(profile.sourceFile[..<(profile.sourceFile.lastIndex(of: "/") ?? profile.sourceFile.endIndex)])
    let one = deviceBytes(folder + "/" + codec.capture)
    precondition(!one.isEmpty, "empty capture for \(codec.name)")
    let copies = (captureBytes + one.count - 1) / one.count
    var bytes: [UInt8] = []
    bytes.reserveCapacity(copies * one.count)
    for _ in 0..<copies { bytes += one }
    let pieces = stride(from: 0, to: bytes.count, by: wholePathPieceBytes).map {
        Array(bytes[$0..<min($0 + wholePathPieceBytes, bytes.count)])
    }
    return WholePathInput(profile: profile, capture: Capture(bytes: bytes, frames: 0), pieces: pieces, copies: copies)
}

/// `v` with three significant digits (at least the units).
private func fixed(_ v: Double) -> String {
    guard v.isFinite else { return "\(v)" }
    var digits = 0
    var m = abs(v)
    while m < 100 && digits < 6 && m > 0 { m *= 10; digits += 1 }
    let scale = pow(10.0, Double(digits))
    let rounded = (v * scale).rounded() / scale
    return digits == 0 ? String(Int(rounded)) : String(rounded)
}

/// Registers `Whole path: NAME` for every codec, one thread each.
func wholePathBenchmarks() {
    let config = Benchmark.Configuration(metrics: WholePathMetric.all, warmupIterations: 1,
                                         maxDuration: .seconds(10), maxIterations: 5)
    for codec in wholePathCodecs {
        Benchmark("Whole path: \(codec.name), capture → readings", configuration: config) { benchmark, input in
            let bytes = input.capture.bytes
            let mallocsBefore = mallocCount()
            let start = threadCPUSeconds()
            let result = wholePathDecode(input.pieces, input.profile)
            let elapsed = threadCPUSeconds() - start
            let mallocs = mallocCount() - mallocsBefore
            benchmark.stopMeasurement()
            let readings = result.readings
            let floorElapsed = input.capture.floorBytes.withUnsafeBytes { floor in
                let floorStart = threadCPUSeconds()
                blackHole(memchrFloor(floor, input.capture.absentByte))
                return threadCPUSeconds() - floorStart
            }
            guard readings > 0 else {
                benchmark.error("\(codec.name): no readings from \(input.copies) copies of the capture (\(result.firstProblem ?? "no problem"))")
                return
            }
            let megabytes = Double(bytes.count) / 1e6
            // The table rounds to whole units; this line keeps three significant digits.
            let line = Array(("whole path \(codec.name): \(bytes.count) bytes, \(readings) readings, \(result.problems) problems, "
                  + "\(fixed(megabytes / elapsed)) MB/s, \(fixed(Double(readings) / elapsed)) readings/s, "
                  + "\(fixed(Double(mallocs) / Double(readings))) mallocs per reading, floor \(fixed(megabytes / floorElapsed)) MB/s, "
                  + "\(fixed(elapsed)) s processor time\n").utf8)
            _ = line.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
            benchmark.measurement(ParserMetric.megabytesPerSecond, Int(megabytes / elapsed))
            benchmark.measurement(WholePathMetric.readingsPerSecond, Int(Double(readings) / elapsed))
            benchmark.measurement(WholePathMetric.mallocsPerHundredReadings, mallocs * 100 / readings)
            benchmark.measurement(ParserMetric.floorMegabytesPerSecond, Int(megabytes / floorElapsed))
            benchmark.measurement(ParserMetric.percentOfFloor, Int((100 * floorElapsed / elapsed).rounded()))
        } setup: {
            wholePathInput(codec)
        }
    }
}
