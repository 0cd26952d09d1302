import PocGateCore
import Testing
import TestSupport

/// The real `DeviceMonitor` and libudev against umockdev's /sys and uevents. The test
/// process is not preloaded, so `DiscoveryProbe` runs the monitor inside the testbed.
@Suite(.enabled(if: UmockdevHarness.isAvailable, "needs umockdev-wrapper and python3-gi"),
       .timeLimit(.minutes(3)))
struct DeviceMonitorUmockdevTests {
    /// Waits for the probe's lines instead of fixed sleeps; no meter memory is needed.
    private func hotplugOptions() -> UmockdevOptions {
        var options = UmockdevOptions()
        options.records = 0
        options.readyLine = #""event":"ready""#
        options.untilLogLine = #""event":"added""#
        options.removedLine = #""event":"removed""#
        options.settle = 0.2
        options.timeout = 60
        return options
    }

    @Test func enumerateReportsIdentitiesAndSkipsVirtualTTYs() async throws {
        var options = UmockdevOptions()
        options.timeout = 60
        let run = try await UmockdevHarness.run(.plugList, options: options, command: [Probe.path, "enumerate"])
        defer { run.removeWorkdir() }
        #expect(run.result.ok, Comment(rawValue: run.diagnostics))
        #expect(run.result.daemon?.exitStatus == 0, Comment(rawValue: run.diagnostics))

        let ch340 = USBIdentity(vendorID: 0x1A86, productID: 0x7523, product: "USB Serial")
        #expect(try Probe.lines(run) == [
            ProbeLine("port", MockCable.port("1-1", "ttyUSB0")),
            ProbeLine("port", MockCable.port("1-3", "ttyUSB2", usb: ch340)),
            ProbeLine("port", MockCable.port("1-4", "ttyUSB3", usb: nil)),  // idVendor "zz9x"
            ProbeLine("port", MockCable.uart),
            ProbeLine("port", MockCable.rfcomm),
            ProbeLine("done"),
        ], Comment(rawValue: run.diagnostics))
        #expect(run.daemonStderr.contains("unreadable idVendor/idProduct"))
        for console in ["/dev/tty0", "/dev/tty1", "/dev/console", "/dev/ptmx"] {
            #expect(run.daemonStderr.contains("DEVICE=\(console) syspath=/sys/devices/virtual/tty/"))
        }
    }

    @Test func hotplugAddRemoveAndReplugArriveAsEvents() async throws {
        var options = hotplugOptions()
        options.extraTTYs = true
        let run = try await UmockdevHarness.run(.replug, options: options, command: [Probe.path, "monitor"])
        defer { run.removeWorkdir() }
        #expect(run.result.ok, Comment(rawValue: run.diagnostics))
        #expect(run.result.daemon?.exitStatus == 0 && run.result.daemon?.killed == false,
                Comment(rawValue: run.diagnostics))

        let portA = MockCable.port("1-1", "ttyUSB0")
        #expect(try Probe.lines(run) == [
            ProbeLine("added", MockCable.uart),
            ProbeLine("added", MockCable.rfcomm),
            ProbeLine("ready"),
            ProbeLine("added", portA),
            ProbeLine("removed", portA),
            ProbeLine("added", MockCable.port("1-2", "ttyUSB1")),
            ProbeLine("stopped"),
        ], Comment(rawValue: run.diagnostics))
        // ttyprintk was hotplugged before port A: seen, and skipped without an event.
        #expect(run.daemonStderr.contains("DEVICE=/dev/ttyprintk syspath=/sys/devices/virtual/tty/ttyprintk"))
        #expect(run.daemonStderr.contains(
            "info discovery-probe: DEVICE=/dev/ttyUSB0 source=hotplug syspath=\(portA.syspath) usb=067b:2303"))
    }

    @Test func portPresentAtStartIsReportedOnceDespiteARetriggeredAdd() async throws {
        var options = hotplugOptions()
        options.preplug = true
        options.retrigger = true
        let run = try await UmockdevHarness.run(.replug, options: options, command: [Probe.path, "monitor"])
        defer { run.removeWorkdir() }
        #expect(run.result.ok, Comment(rawValue: run.diagnostics))

        let portA = MockCable.port("1-1", "ttyUSB0")
        #expect(try Probe.lines(run) == [
            ProbeLine("added", portA),
            ProbeLine("ready"),
            ProbeLine("removed", portA),
            ProbeLine("added", MockCable.port("1-2", "ttyUSB1")),
            ProbeLine("stopped"),
        ], Comment(rawValue: run.diagnostics))
        #expect(run.daemonStderr.contains("source=enumerate syspath=\(portA.syspath)"))
        #expect(run.daemonStderr.contains("tty already reported"))
    }
}
