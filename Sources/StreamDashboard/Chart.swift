/// How a published stream is drawn on the dashboard page.
public struct Chart: Sendable, Hashable {
    /// The drawing.
    public enum Kind: String, Sendable {
        /// Labelled bars, one per `(label, value)` record of the latest batch, in stream order.
        case bars
        /// A line of one value per batch (the batch's first record), the last `timelinePoints`.
        case timeline
        /// The latest batch's records as lines of text (shown as text, never as HTML).
        case text
    }

    /// The panel's identifier in events, snapshots and the page's DOM (`panel-ID`).
    public let id: String
    /// The panel's heading.
    public let title: String
    /// How the panel draws its records.
    public let kind: Kind

    /// Bars of `(label, value)` pairs: a top 10, counts per key.
    public static func bars(_ title: String, id: String? = nil) -> Chart {
        Chart(id: id ?? slug(title), title: title, kind: .bars)
    }

    /// One number per batch over time: tweets per batch, mean sentiment.
    public static func timeline(_ title: String, id: String? = nil) -> Chart {
        Chart(id: id ?? slug(title), title: title, kind: .timeline)
    }

    /// Lines of text: the most extreme tweet of the window.
    public static func text(_ title: String, id: String? = nil) -> Chart {
        Chart(id: id ?? slug(title), title: title, kind: .text)
    }

    /// Points a timeline keeps.
    public static let timelinePoints = 120

    /// `Top hashtags (1 min)` → `top-hashtags-1-min`.
    static func slug(_ title: String) -> String {
        let words = title.lowercased().split { !($0.isASCII && ($0.isLetter || $0.isNumber)) }
        return words.isEmpty ? "panel" : words.joined(separator: "-")
    }
}

/// A number a chart can draw.
public protocol ChartValue: Sendable {
    /// The value as a double (counts up to 2^53 stay exact).
    var chartValue: Double { get }
}

extension Int: ChartValue {
    public var chartValue: Double { Double(self) }
}

extension Int64: ChartValue {
    public var chartValue: Double { Double(self) }
}

extension Double: ChartValue {
    public var chartValue: Double { self }
}
