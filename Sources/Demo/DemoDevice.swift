public import Emulators
import PocGateCore

/// The meters `pocgate demo --device` can play: each a profile id and its emulator from
/// `Emulators` (written from the public protocol). Other profiles are refused with this list.
public enum DemoDevice: String, CaseIterable, Sendable {
    case taidocTD4277 = "taidoc-td4277"
    case oneTouchUltra2 = "lifescan-onetouch-ultra2"
    case oneTouchUltraMini = "lifescan-onetouch-ultramini"
    case oneTouchVerioIQ = "lifescan-onetouch-verio-iq"
    case freeStyleOptium = "abbott-freestyle-optium"
    case sdCodeFree = "sd-codefree"

    /// The profile the gateway reads the emulated meter with.
    public var profileID: String { rawValue }

    /// The most records the meter's dump can carry (the text meters count in three digits;
    /// the UltraMini's record 501 is its count request, so it holds at most 500).
    public var maximumRecords: Int {
        switch self {
        case .oneTouchUltraMini: return 500
        case .oneTouchUltra2, .freeStyleOptium: return 999
        case .taidocTD4277, .sdCodeFree, .oneTouchVerioIQ: return 5000
        }
    }

    /// The ids `--device` accepts, for help and error text.
    public static var accepted: String { allCases.map(\.rawValue).joined(separator: ", ") }

    /// The newest record's time and the meter clock of every emulated memory.
    static let newest = LocalDateTime(year: 2024, month: 6, day: 15, hour: 8, minute: 30)
    static let clock = LocalDateTime(year: 2024, month: 6, day: 15, hour: 9, minute: 5)

    /// A meter holding `records` readings, on its pseudo-terminal, not yet answering.
    public func emulator(records: Int) throws(EmulatorError) -> DemoMeter {
        let memory = EmulatedTD4277.sampleMemory(count: records, newest: Self.newest)
        switch self {
        case .taidocTD4277:
            return .td4277(try EmulatedTD4277(serial: "22040600001A0B7C", records: memory, clock: Self.clock))
        case .oneTouchUltra2:
            return .other(try EmulatedMeter(OneTouchUltra2Responder(records: memory, clock: Self.clock)))
        case .oneTouchUltraMini:
            return .other(try EmulatedMeter(UltraEasyResponder(records: memory, clock: Self.clock)))
        case .oneTouchVerioIQ:
            return .other(try EmulatedMeter(VerioIQResponder(records: memory, clock: Self.clock)))
        case .freeStyleOptium:
            return .other(try EmulatedMeter(FreeStyleOptiumResponder(records: memory, clock: Self.clock)))
        case .sdCodeFree:
            return .other(try EmulatedMeter(CodeFreeResponder(records: memory)))
        }
    }
}

/// One emulated meter of the demo.
public enum DemoMeter: Sendable {
    case td4277(EmulatedTD4277)
    case other(EmulatedMeter)

    /// The device path the gateway opens.
    public var slavePath: String {
        switch self {
        case let .td4277(m): return m.slavePath
        case let .other(m): return m.slavePath
        }
    }

    /// The model, for the banner.
    public var model: String {
        switch self {
        case .td4277: return "TD-4277"
        case let .other(m): return m.model
        }
    }

    /// What the meter counted (a violation is a frame that would have changed it).
    public var counters: EmulatorCounters {
        switch self {
        case let .td4277(m): return m.counters
        case let .other(m): return m.counters
        }
    }

    public func start() {
        switch self {
        case let .td4277(m): m.start()
        case let .other(m): m.start()
        }
    }

    public func stop() {
        switch self {
        case let .td4277(m): m.stop()
        case let .other(m): m.stop()
        }
    }
}
