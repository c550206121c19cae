import Foundation
import StreamCore

/// Writes records as JSON for `--output jsonl`: a pair is a two-element array, words and
/// strings are JSON strings, numbers stay numbers.
public enum JSONLines {
    /// One line: `{"output":…,"batch":k,"time":ms,"records":[…]}`.
    public static func line<T>(output: String, batch: Int, time: BatchTime, records: [T]) -> String {
        "{\"output\":\(string(output)),\"batch\":\(batch),\"time\":\(time.milliseconds),\"records\":["
            + records.map { value($0) }.joined(separator: ",") + "]}"
    }

    /// A value as JSON.
    public static func value(_ value: Any) -> String {
        switch value {
        case let word as Word: return string(word.text)
        case let text as String: return string(text)
        case let text as Substring: return string(String(text))
        case let flag as Bool: return flag ? "true" : "false"
        case let number as Int: return String(number)
        case let number as Int64: return String(number)
        case let number as Double: return number.isFinite ? String(number) : "null"
        default: break
        }
        let mirror = Mirror(reflecting: value)
        switch mirror.displayStyle {
        case .tuple, .collection, .set:
            return "[" + mirror.children.map { self.value($0.value) }.joined(separator: ",") + "]"
        case .optional:
            return mirror.children.first.map { self.value($0.value) } ?? "null"
        default:
            return string(String(describing: value))
        }
    }

    /// A JSON string literal.
    public static func string(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                out += String(format: "\\u%04x", scalar.value)
            default:
                out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
