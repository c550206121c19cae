#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The few Python `str` behaviours VADER's rules depend on, reproduced over Unicode scalars.
enum PythonText {
    /// `str.isspace()` for one character: what `split()` and `strip()` cut on.
    static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09...0x0D, 0x1C...0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: true
        default: false
        }
    }

    /// `str.split()`: runs of whitespace separate words; no empty words.
    static func split(_ text: Substring.UnicodeScalarView) -> [Substring.UnicodeScalarView] {
        text.split(whereSeparator: isSpace)
    }

    /// `str.strip()`.
    static func strip(_ text: String) -> Substring.UnicodeScalarView {
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !isSpace($0) }),
              let last = scalars.lastIndex(where: { !isSpace($0) }) else { return Substring("").unicodeScalars }
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
            let properties = scalar.properties
            if properties.isLowercase || properties.generalCategory == .titlecaseLetter { return false }
            if properties.isUppercase { cased = true }
        }
        return cased
    }

    /// `round(value, digits)`: correctly rounded (half to even on the exact binary value), as
    /// CPython does through `dtoa` — and as C's `printf("%.*f")` does.
    static func round(_ value: Double, _ digits: Int32) -> Double {
        var buffer = [CChar](repeating: 0, count: 64)
        let count = withVaList([digits, value]) { vsnprintf(&buffer, buffer.count, "%.*f", $0) }
        guard count > 0, count < buffer.count else { return value }
        return strtod(buffer, nil)
    }
}
