/// The few Python `str` behaviours VADER's rules depend on, reproduced over Unicode scalars.
enum PythonText {
    /// `str.isspace()` for one character: what `split()` and `strip()` cut on.
    static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09...0x0D, 0x1C...0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: true
        default: false
        }
    }

    /// `str.strip()`.
    static func strip(_ text: String) -> Substring.UnicodeScalarView {
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !isSpace($0) }),
            let last = scalars.lastIndex(where: { !isSpace($0) })
        else { return Substring("").unicodeScalars }
        return Substring(text).unicodeScalars[first...last]
    }

    /// `string.punctuation`: ASCII punctuation.
    static func isPunctuation(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x21...0x2F, 0x3A...0x40, 0x5B...0x60, 0x7B...0x7E: true
        default: false
        }
    }

    /// `str.isupper()`: at least one cased character, and none lowercase or titlecase.
    static func isUpper(_ text: Substring.UnicodeScalarView) -> Bool {
        var cased = false
        for scalar in text {
            if scalar.isASCII {
                if scalar.value >= 0x61 && scalar.value <= 0x7A { return false }
                if scalar.value >= 0x41 && scalar.value <= 0x5A { cased = true }
                continue
            }
            let properties = scalar.properties
            if properties.isLowercase || properties.generalCategory == .titlecaseLetter { return false }
            if properties.isUppercase { cased = true }
        }
        return cased
    }

    /// `round(value, digits)` for `digits` 0…15: correctly rounded, half to even on the exact
    /// binary value (as CPython does through `dtoa`), then the nearest double to that decimal.
    static func round(_ value: Double, _ digits: Int) -> Double {
        guard value.isFinite, value != 0 else { return value }
        let scale = powersOfTen[digits]
        let high = value * scale
        guard abs(high) < 0x1p52 else { return value }
        let low = (-high).addingProduct(value, scale)  // value × scale − high, exactly
        // `high` rounded half-even is right unless it sits on a half and the exact product is
        // off that half by `low` (a tie broken the other way).
        var integer = high.rounded(.toNearestOrEven)
        let fraction = high - integer
        if fraction == 0.5 && low > 0 { integer += 1 }
        if fraction == -0.5 && low < 0 { integer -= 1 }
        return integer / scale
    }

    private static let powersOfTen: [Double] = (0...15).map { digits in (0..<digits).reduce(1.0) { value, _ in value * 10 } }
}
