public import Foundation
public import PocGateCore

/// `result.json`: what the emulated meter saw, phase by phase.
public struct UmockdevResult: Decodable, Sendable {
    public var scenario: String
    /// The scenario ran to its end (no bounded wait ran out, the program did not die early).
    public var ok: Bool
    public var errors: [String]
    public var durationSeconds: Double
    public var phases: [Phase]
    /// Every 0x52 (clear memory) or 0x33 (set clock) the meter received, in any phase.
    public var violations: [Violation]
    public var daemon: Program?
    /// The program's VmRSS and stderr size, twice a second from its start.
    public var samples: [FloodResult.Sample]?
    /// The garbage written before the meter's replies (`--spray-kib-per-reply`).
    public var spray: Spray?

    public struct Spray: Decodable, Sendable {
        public var bytes: Int
        public var pieces: Int
    }

    /// One plug-in of the cable.
    public struct Phase: Decodable, Sendable {
        public var name: String
        public var port: Port
        public var pluggedAt: Double
        public var unpluggedAt: Double?
        /// Host frames the meter accepted, lowercase hex, in order.
        public var framesReceived: [String]?
        public var framesSent: [String]?
        public var rejected: [Note]?
        public var unanswered: [Note]?
        public var violations: [Violation]?
        /// Record indexes whose value (0x26) was served, in order.
        public var valuesServed: [Int]?
        /// Record indexes whose time (0x25) was served, in order.
        public var timesServed: [Int]?
        public var poweredOff: Bool?
        /// A HID device's side of the phase (`--link cp2110`).
        public var hid: HIDTraffic?
    }

    /// What the program under test wrote to an emulated hidraw node, and how it read it.
    public struct HIDTraffic: Decodable, Sendable {
        /// Output reports, lowercase hex, byte 0 the report id, in order.
        public var outputReports: [String]
        /// Feature reports set (HIDIOCSFEATURE), lowercase hex, in order.
        public var featuresSet: [String]
        /// Feature report ids read (HIDIOCGFEATURE), two hex digits each.
        public var featuresGot: [String]
        /// read() calls the program made on the node; opens of the node.
        public var reads: Int
        public var opens: Int
        public var errors: [String]
        /// Data bytes the program sent while the bridge's UART was off or at other settings.
        public var bytesLostUartOff: Int?
    }

    /// The emulated cable of a phase.
    public struct Port: Decodable, Sendable {
        public var usbPath: String
        public var syspath: String
        public var devnode: String
        public var idVendor: String
        public var idProduct: String
        public var serial: String?
    }

    /// Bytes the meter rejected or did not answer, and why.
    public struct Note: Decodable, Sendable {
        public var bytes: String?
        public var frame: String?
        public var reason: String
    }

    /// A command that would have changed the meter.
    public struct Violation: Decodable, Sendable {
        public var frame: String
        public var command: String
        public var reason: String
        public var phase: String?
    }

    /// How the program under test ended.
    public struct Program: Decodable, Sendable {
        public var argv: [String]
        public var pid: Int?
        /// Exit status when it exited; nil when a signal ended it.
        public var exitStatus: Int?
        public var signal: Int?
        public var sentSigterm: Bool
        /// SIGTERM was not enough.
        public var killed: Bool
    }
}

/// `expected.json`: the meter's memory, written before the program starts.
public struct ExpectedMeter: Decodable, Sendable {
    public var model: String
    public var serial: String
    public var usbSerial: String
    public var records: [Record]

    /// One stored measurement; index 0 is the newest.
    public struct Record: Decodable, Sendable {
        public var index: Int
        /// `YYYY-MM-DDTHH:MM:00`, the meter's local time.
        public var time: String
        /// mg/dL.
        public var value: Int
        /// d3 of the 0x26 reply: 0x00, 0x40 before meal, 0x80 after meal.
        public var flags: Int
        /// `glucose` (value mg/dL), `blood-pressure` (value = systolic), `thermometer` (value in
        /// tenths of °C); nil from an older harness: glucose.
        public var kind: String?
        /// Blood pressure only: mean (0: none), diastolic, pulse, irregular-heartbeat bit.
        public var mean: Int?
        public var diastolic: Int?
        public var pulse: Int?
        public var irregular: Bool?
        /// Verio IQ only: the meal byte (0 none, 1 before, 2 after) and the control byte (1: a
        /// control-solution test).
        public var mealByte: Int?
        public var controlByte: Int?

        public var localTime: LocalDateTime? { LocalDateTime(iso: time) }
    }
}

/// One finished harness run and where its files are.
public struct UmockdevRun: Sendable {
    /// The script's exit status: 0 completed, 1 a wait ran out or the program died, 2 usage.
    public var status: Int32
    public var result: UmockdevResult
    public var expected: ExpectedMeter
    public var workdir: URL

    public var daemonStdoutURL: URL { workdir.appendingPathComponent("daemon.stdout") }
    public var daemonStderrURL: URL { workdir.appendingPathComponent("daemon.stderr") }
    public var harnessLogURL: URL { workdir.appendingPathComponent("harness.log") }

    public var daemonStdout: String { Self.text(daemonStdoutURL) }
    public var daemonStderr: String { Self.text(daemonStderrURL) }
    public var harnessLog: String { Self.text(harnessLogURL) }

    /// Everything a failing test should print.
    public var diagnostics: String {
        "harness (status \(status)):\n\(harnessLog)\nerrors: \(result.errors)\n"
            + "program stdout:\n\(daemonStdout)\nprogram stderr:\n\(daemonStderr)"
    }

    /// Deletes the run's files.
    public func removeWorkdir() {
        try? FileManager.default.removeItem(at: workdir)
    }

    static func text(_ url: URL) -> String {
        (try? String(contentsOf: url, encoding: .utf8)) ?? "(\(url.lastPathComponent) missing)"
    }
}
