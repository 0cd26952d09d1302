import Tools
import Sessions
import Transports
import Daemon
import DeviceProfiles
import Testing
import TestSupport

/// `pocgate replay` and `profile test` take a profile by path as often as by id: the analyte
/// table it names must be found the same way, or a technician's replay of a lipid analyser says
/// "unknown analyte" for results the daemon would upload.
@Suite struct ProfileResolverTests {
    static let root = UmockdevHarness.repositoryRoot.path + "/DeviceProfiles"

    @Test("a profile given by path gets the analyte tables it names, as by id")
    func aProfileByPathGetsItsAnalyteTables() throws {
        let byPath = try ProfileResolver.resolve(Self.root + "/generic/astm-poct/profile.yaml", directories: [])
        let byID = try ProfileResolver.resolve("generic-astm-poct", directories: [Self.root])
        #expect(byPath.analytes.analyte(named: "TC")?.units.contains { $0.loinc == "14647-2" } == true)
        #expect(byPath.analytes == byID.analytes)
    }
}
