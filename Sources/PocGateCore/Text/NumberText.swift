/// Number texts of the forms `printf` wrote for the tools (`%02d`, `%04X`, `%.1f`), without
/// Foundation's formatter.
public enum NumberText {
    /// `value` in decimal, left-padded with zeros to `width` digits (`%0Nd`).
    public static func padded(_ value: some BinaryInteger, width: Int) -> String {
        let digits = String(value.magnitude)
        let sign = value < 0 ? "-" : ""
        return sign + String(repeating: "0", count: max(0, width - sign.count - digits.count)) + digits
    }

    /// `value` in hexadecimal, left-padded with zeros to `width` digits (`%0NX`, `%0Nx`).
    public static func hex(_ value: some BinaryInteger, width: Int, uppercase: Bool = true) -> String {
        let digits = String(value, radix: 16, uppercase: uppercase)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    /// `value` rounded half away from zero to `places` decimals (`%.Nf`); non-finite values as
    /// `nan`, `inf`, `-inf`.
    public static func fixed(_ value: Double, places: Int) -> String {
        guard value.isFinite else { return value.isNaN ? "nan" : (value < 0 ? "-inf" : "inf") }
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        let scaled = (abs(value) * scale).rounded(.toNearestOrAwayFromZero)
        guard scaled < 9e18 else { return String(value) }
        let units = UInt64(scaled)
        let factor = UInt64(scale)
        let whole = String(units / factor)
        let sign = value < 0 && units != 0 ? "-" : ""
        guard places > 0 else { return sign + whole }
        return sign + whole + "." + padded(units % factor, width: places)
    }
}

extension NumberText {
    /// The `printf` subset the tools' messages use: `%d`, `%Nd`, `%0Nd`, `%.Nf`, `%0NX`/`%0Nx`,
    /// `%s` and `%%`; integers of any width, `Double`s, and text. A conversion without a
    /// matching argument is written as is.
    public static func printf(_ format: String, _ arguments: Any...) -> String {
        var out = ""
        var args = arguments.makeIterator()
        var chars = Array(format.unicodeScalars)[...]
        while let c = chars.popFirst() {
            guard c == "%" else { out.unicodeScalars.append(c); continue }
            var spec = "%"
            var zero = false, width = 0, precision: Int? = nil
            if chars.first == "0" { zero = true; chars.removeFirst(); spec += "0" }
            while let d = chars.first, let v = Int(String(d)) { width = width * 10 + v; chars.removeFirst(); spec.unicodeScalars.append(d) }
            if chars.first == "." {
                chars.removeFirst(); spec += "."
                var p = 0
                while let d = chars.first, let v = Int(String(d)) { p = p * 10 + v; chars.removeFirst(); spec.unicodeScalars.append(d) }
                precision = p
            }
            guard let conversion = chars.popFirst() else { out += spec; break }
            if conversion == "%" { out += "%"; continue }
            guard let argument = args.next() else { out += spec; out.unicodeScalars.append(conversion); continue }
            var text: String
            switch conversion {
            case "d", "i", "u": text = integer(argument).map { String($0) } ?? "\(argument)"
            case "X", "x": text = integer(argument).map { String(UInt64(bitPattern: $0), radix: 16, uppercase: conversion == "X") } ?? "\(argument)"
            case "f":
                let value = (argument as? Double) ?? Double(integer(argument) ?? 0)
                text = fixed(value, places: precision ?? 6)
            default: text = "\(argument)"
            }
            if text.count < width {
                let fill = String(repeating: zero ? "0" : " ", count: width - text.count)
                if zero, text.hasPrefix("-") { text = "-" + fill + text.dropFirst() } else { text = fill + text }
            }
            out += text
        }
        return out
    }

    private static func integer(_ value: Any) -> Int64? {
        switch value {
        case let v as Int: Int64(v)
        case let v as Int64: v
        case let v as Int32: Int64(v)
        case let v as Int16: Int64(v)
        case let v as Int8: Int64(v)
        case let v as UInt: Int64(truncatingIfNeeded: v)
        case let v as UInt64: Int64(truncatingIfNeeded: v)
        case let v as UInt32: Int64(v)
        case let v as UInt16: Int64(v)
        case let v as UInt8: Int64(v)
        default: nil
        }
    }
}
