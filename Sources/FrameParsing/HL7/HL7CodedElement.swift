/// A coded field (CE/CWE: `identifier^text^coding system`, e.g. OBX-3 or OBX-6) read once:
/// the first subcomponent of its first three components, unescaped, spaces trimmed, the coding
/// system upper-cased.
struct HL7CodedElement: Sendable, Equatable {
    let identifier: String
    let text: String
    let system: String

    init(_ segment: HL7Segment, field: Int) {
        identifier = segment.trimmedText(field, component: 1)
        text = segment.trimmedText(field, component: 2)
        system = segment.trimmedText(field, component: 3).uppercased()
    }
}
