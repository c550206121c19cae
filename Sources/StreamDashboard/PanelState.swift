import Foundation

/// What a panel shows now, and its JSON for events and snapshots:
/// `{"id":…,"title":…,"kind":…,"batch":k,"time":ms,"data":…}` where `data` is
/// `[[label, value], …]` for bars, `[[time, value], …]` for a timeline and `[text, …]` for text.
struct PanelState: Sendable {
    let chart: Chart
    var batch = 0
    var time: Int64 = 0
    var bars: [(label: String, value: Double)] = []
    var points: [(time: Int64, value: Double)] = []
    var lines: [String] = []

    init(chart: Chart) {
        self.chart = chart
    }

    var json: String {
        var out = "{\"id\":" + JSONText.string(chart.id) + ",\"title\":" + JSONText.string(chart.title)
        out += ",\"kind\":\"\(chart.kind.rawValue)\",\"batch\":\(batch),\"time\":\(time),\"data\":["
        switch chart.kind {
        case .bars:
            out += bars.map { "[" + JSONText.string($0.label) + "," + JSONText.number($0.value) + "]" }.joined(separator: ",")
        case .timeline: out += points.map { "[\($0.time)," + JSONText.number($0.value) + "]" }.joined(separator: ",")
        case .text: out += lines.map(JSONText.string).joined(separator: ",")
        }
        return out + "]}"
    }
}

/// The few JSON forms the dashboard writes.
enum JSONText {
    /// A JSON string; `<`, `>` and `&` are escaped too, so the text is inert wherever it lands.
    static func string(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "<", ">", "&", "\u{2028}", "\u{2029}": out += String(format: "\\u%04x", scalar.value)
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// A JSON number: integers without a fraction, NaN and infinities as `null`.
    static func number(_ value: Double) -> String {
        guard value.isFinite else { return "null" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }
}
