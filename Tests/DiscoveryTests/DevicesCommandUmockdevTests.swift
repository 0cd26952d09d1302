import PocGateCore
import Testing
import TestSupport

/// `pocgate devices`, the real `DeviceMonitor` and libudev against umockdev's /sys and
/// uevents. The test process is not preloaded, so the command runs inside the testbed.
@Suite(.enabled(if: UmockdevHarness.isAvailable, "needs umockdev-wrapper and python3-gi"),
       .timeLimit(.minutes(3)))
struct DevicesCommandUmockdevTests {
    /// Waits for the command's lines instead of fixed sleeps; no meter memory is needed.
    /// A port present at start is listed as `port`, a hotplugged one arrives as `added`.
    private func hotplugOptions() -> UmockdevOptions {
        var options = UmockdevOptions()
        options.records = 0
        options.readyLine = #""event":"ready""#
        options.untilLogLine = #""event":"(port|added)""#
        options.removedLine = #""event":"removed""#
        options.settle = 0.2
        options.timeout = 60
        return options
    }

    @Test func listingReportsIdentitiesProfilesAndSkipsVirtualTTYs() async throws {
        var options = UmockdevOptions()
        options.timeout = 60
        let run = try await UmockdevHarness.run(.plugList, options: options, command: DevicesCommand.command())
        defer { run.removeWorkdir() }
        #expect(run.result.ok, Comment(rawValue: run.diagnostics))
        #expect(run.result.daemon?.exitStatus == 0, Comment(rawValue: run.diagnostics))

        let ch340 = USBIdentity(vendorID: 0x1A86, productID: 0x7523, product: "USB Serial")
        let lines = try DevicesCommand.lines(run)
        #expect(lines.map(\.withoutVerdict) == [
            DevicesLine("port", MockCable.port("1-1", "ttyUSB0")),
            DevicesLine("port", MockCable.port("1-3", "ttyUSB2", usb: ch340)),
            DevicesLine("port", MockCable.port("1-4", "ttyUSB3", usb: nil)),  // idVendor "zz9x"
            DevicesLine("port", MockCable.uart),
            DevicesLine("port", MockCable.rfcomm),
            DevicesLine("done"),
        ], Comment(rawValue: run.diagnostics))
        try #require(lines.count == 6)

        // A bare PL2303 is claimed by six live profiles: the probe decides, in probe_order.
        #expect(lines[0].profile == nil && lines[0].why?.hasPrefix("probe decides: 6 profiles claim") == true
                && lines[0].why?.hasSuffix("taidoc-td4277, fora-2in1, fora-bp-monitor, fora-ir-thermometer, "
                                           + "lifescan-onetouch-ultra2, lifescan-onetouch-ultramini") == true, "\(lines[0])")
        // A CH340 cable (1a86:7523) is claimed by the two live LifeScan profiles.
        #expect(lines[1].profile == nil
                && lines[1].why?.hasSuffix("lifescan-onetouch-ultra2, lifescan-onetouch-ultramini") == true, "\(lines[1])")
        #expect(lines[2].profile == nil)
        #expect(lines[2].why?.hasPrefix("USB parent with unreadable idVendor/idProduct") == true)
        #expect(lines[3].why?.hasPrefix("no USB parent (platform UART)") == true)
        #expect(lines[4].why?.hasPrefix("no USB parent (Bluetooth RFCOMM)") == true)
        #expect(lines[2...4].allSatisfy { $0.profile == nil })

        #expect(run.daemonStderr.contains("<4>USB parent has unreadable idVendor/idProduct"))
        #expect(run.daemonStderr.contains("CODE=PG-DSC-002 DEVICE=/dev/ttyUSB3 ID_PRODUCT=2303 ID_VENDOR=zz9x"))
        for console in ["/dev/tty0", "/dev/tty1", "/dev/console", "/dev/ptmx"] {
            #expect(run.daemonStderr.contains(
                "<7>skipping virtual tty without a parent device DEVICE=\(console) SYSPATH=/sys/devices/virtual/tty/"))
        }
    }

    /// Risk: a meter behind a HID bridge invisible to the technician, or a keyboard claimed.
    /// hidraw nodes are listed beside the ttys with their USB interface: the CP2110 meter is
    /// claimed by its profile, the keyboard is not, and the line says why.
    @Test func hidrawNodesAreListedBesideTTYsWithWhyTheyAreOrAreNotClaimed() async throws {
        var options = UmockdevOptions()
        options.timeout = 60
        options.link = "cp2110"
        let run = try await UmockdevHarness.run(.plugList, options: options, command: DevicesCommand.command())
        defer { run.removeWorkdir() }
        #expect(run.result.ok, Comment(rawValue: run.diagnostics))
        let lines = try DevicesCommand.lines(run)
        let meter = MockHID.port("1-1", "hidraw0", vendor: "10C4", product: "EA80", usb: MockHID.cp2110)
        let keyboard = MockHID.port("1-6", "hidraw5", vendor: "046D", product: "C31C", usb: MockHID.keyboard)
        let hid = lines.filter { $0.port?.transport == .hidraw }
        #expect(hid.map(\.withoutVerdict) == [DevicesLine("port", meter), DevicesLine("port", keyboard)],
                Comment(rawValue: run.diagnostics))
        try #require(hid.count == 2)
        #expect(hid[0].profile == "glucorx-nexus-cp2110" && hid[0].why == nil, "\(hid[0])")
        // The closest rule is whichever HID profile loads first (several ship): only the keyboard's
        // own id is certain in the line.
        #expect(hid[1].profile == nil && hid[1].why?.hasPrefix("no profile: closest ") == true
                && hid[1].why?.contains(", port is 046d:c31c") == true, "\(hid[1])")
        // The ttys are still listed beside them.
        #expect(lines.contains { $0.port?.devnode == "/dev/ttyUSB2" && $0.port?.transport == .tty })
    }

    @Test func hotplugAddRemoveAndReplugArriveAsEvents() async throws {
        var options = hotplugOptions()
        options.extraTTYs = true
        let run = try await UmockdevHarness.run(.replug, options: options, command: DevicesCommand.command("--watch"))
        defer { run.removeWorkdir() }
        #expect(run.result.ok, Comment(rawValue: run.diagnostics))
        #expect(run.result.daemon?.exitStatus == 0 && run.result.daemon?.sentSigterm == true
                    && run.result.daemon?.killed == false, Comment(rawValue: run.diagnostics))

        let portA = MockCable.port("1-1", "ttyUSB0")
        let portB = MockCable.port("1-2", "ttyUSB1")
        let lines = try DevicesCommand.lines(run)
        #expect(lines.map(\.withoutVerdict) == [
            DevicesLine("port", MockCable.uart),
            DevicesLine("port", MockCable.rfcomm),
            DevicesLine("done"),
            DevicesLine("ready"),
            DevicesLine("added", portA),
            DevicesLine("removed", portA),
            DevicesLine("added", portB),
            DevicesLine("stopped"),
        ], Comment(rawValue: run.diagnostics))
        #expect(lines.filter { $0.port?.usb != nil }.allSatisfy { $0.profile == nil && $0.why?.hasPrefix("probe decides") == true })
        // BlueZ is asked once, for the listing (here it is not reachable): its note comes before `done`.
        #expect(try DevicesCommand.allLines(run).map(\.event).prefix(5) == ["port", "port", "note", "done", "ready"])
        // ttyprintk was hotplugged before port A: seen, and skipped without an event.
        #expect(run.daemonStderr.contains("DEVICE=/dev/ttyprintk SYSPATH=/sys/devices/virtual/tty/ttyprintk"))
        #expect(run.daemonStderr.contains(
            "<6>tty added DEVICE=/dev/ttyUSB0 SOURCE=hotplug SYSPATH=\(portA.syspath) USB=067b:2303"))
    }

    /// Also: `--events 2` ends the command on its own after the unplug and the replug.
    @Test func portPresentAtStartIsReportedOnceDespiteARetriggeredAdd() async throws {
        var options = hotplugOptions()
        options.preplug = true
        options.retrigger = true
        let run = try await UmockdevHarness.run(.replug, options: options,
                                                command: DevicesCommand.command("--watch", "--events", "2"))
        defer { run.removeWorkdir() }
        #expect(run.result.ok, Comment(rawValue: run.diagnostics))
        #expect(run.result.daemon?.exitStatus == 0 && run.result.daemon?.sentSigterm == false,
                Comment(rawValue: run.diagnostics))

        let portA = MockCable.port("1-1", "ttyUSB0")
        #expect(try DevicesCommand.lines(run).map(\.withoutVerdict) == [
            DevicesLine("port", portA),
            DevicesLine("done"),
            DevicesLine("ready"),
            DevicesLine("removed", portA),
            DevicesLine("added", MockCable.port("1-2", "ttyUSB1")),
            DevicesLine("stopped"),
        ], Comment(rawValue: run.diagnostics))
        #expect(run.daemonStderr.contains("SOURCE=enumerate SYSPATH=\(portA.syspath)"))
        #expect(run.daemonStderr.contains("<7>tty already reported DEVICE=/dev/ttyUSB0"))
    }
}
