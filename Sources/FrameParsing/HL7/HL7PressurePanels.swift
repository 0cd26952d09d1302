import PocGateCore

/// The blood-pressure panels of one OBR group, told apart by OBX-4 (observation sub-id).
///
/// Parts with the same panel key are one panel; a part of a kind the open panel of that key
/// already has starts a new panel (a device that repeats systolic/diastolic without sub-ids).
/// The panel key is OBX-4 as sent, except for IHE PCD-01 containment ids `MDS.VMD.CHAN.METRIC`
/// (four dot-separated parts), where the metric part differs per component and the channel
/// `MDS.VMD.CHAN` names the measurement.
struct HL7PressurePanels {
    /// Each panel's parts, by the position in the group of the OBX that opened it.
    private var opened: [Int: [ObservationKind: HL7ORU.Item]] = [:]

    /// `items`: the pressure OBX of one group with their positions in it, in message order.
    init(_ items: [(position: Int, kind: ObservationKind, item: HL7ORU.Item)]) {
        var open: [String: Int] = [:]
        for (position, kind, item) in items {
            let key = Self.panelKey(item.subID)
            if let p = open[key], opened[p]?[kind] == nil {
                opened[p]?[kind] = item
            } else {
                open[key] = position
                opened[position] = [kind: item]
            }
        }
    }

    /// The panel opened by the OBX at `position` of the group; nil when that OBX joined an earlier panel.
    func panel(openedAt position: Int) -> [ObservationKind: HL7ORU.Item]? { opened[position] }

    /// OBX-4 → the key that groups the parts of one measurement.
    static func panelKey(_ subID: String) -> String {
        // Four parts are three dots: the key is what comes before the last one.
        var dots = 0
        var lastDot = subID.utf8.startIndex
        for i in subID.utf8.indices where subID.utf8[i] == UInt8(ascii: ".") {
            dots += 1
            lastDot = i
        }
        return dots == 3 ? String(subID[..<lastDot]) : subID
    }
}
