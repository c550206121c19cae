/// A filtered-stream rule: a query and an optional tag the matching posts carry.
public struct StreamRule: Sendable, Hashable, CustomStringConvertible {
    /// Set by the server; nil for rules not yet added.
    public var id: String?
    public var value: String
    public var tag: String?

    public init(_ value: String, tag: String? = nil, id: String? = nil) {
        self.value = value
        self.tag = tag
        self.id = id
    }

    /// v1.1's `track`: posts with any of the keywords or phrases.
    public static func track(_ keywords: [String], tag: String? = nil) -> StreamRule {
        StreamRule(keywords.map { $0.contains(" ") ? "\"\($0)\"" : $0 }.joined(separator: " OR "), tag: tag)
    }

    /// v1.1's `follow`: posts by these user ids.
    public static func follow(_ userIDs: [String], tag: String? = nil) -> StreamRule {
        StreamRule(userIDs.map { "from:\($0)" }.joined(separator: " OR "), tag: tag)
    }

    /// v1.1's `locations`: posts geo-tagged inside any of the boxes (west, south, east, north).
    public static func locations(_ boxes: [(west: Double, south: Double, east: Double, north: Double)], tag: String? = nil)
        -> StreamRule
    {
        StreamRule(
            boxes.map { "bounding_box:[\($0.west) \($0.south) \($0.east) \($0.north)]" }.joined(separator: " OR "), tag: tag)
    }

    public var description: String { value + (tag.map { " [\($0)]" } ?? "") }
}
