import DeviceProfiles
import Foundation
import PocGateCore

/// The analyte table the shipped ASTM profiles name (DeviceProfiles/analytes), for decoding tests.
enum ShippedAnalytes {
    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    static let table: AnalyteTable = {
        let tables = AnalyteTables.load(directories: [repo + "/DeviceProfiles/analytes"]).tables
        return tables.byID["diabetes-hypertension"] ?? .empty
    }()
}
