extension DStream {
    /// Prints the first `count` records of every batch in Spark's console format:
    ///
    /// ```
    /// -------------------------------------------
    /// Time: 1000 ms
    /// -------------------------------------------
    /// (#swift,3)
    /// ...
    ///
    /// ```
    /// - Parameters:
    ///   - count: the most records shown per batch (`...` follows when there are more).
    ///   - name: the output's name in listeners and replays (made unique).
    ///   - write: where the text goes (default: standard output).
    public func print(
        _ count: Int = 10, name: String = "print",
        to write: @escaping @Sendable (String) -> Void = { Swift.print($0, terminator: "") }
    ) throws {
        try foreachBatch(name: name) { batch, time in
            write(ConsoleFormat.batch(batch.records, time: time, limit: count))
        }
    }
}

/// Spark's text forms of records and batches.
enum ConsoleFormat {
    static func batch<T>(_ records: [T], time: BatchTime, limit: Int) -> String {
        let rule = "-------------------------------------------\n"
        var text = rule + "Time: \(time)\n" + rule
        for record in records.prefix(limit) { text += describe(record) + "\n" }
        if records.count > limit { text += "...\n" }
        return text + "\n"
    }

    /// Tuples as `(a,b)`, as Scala prints them; everything else by its description.
    static func describe(_ value: Any) -> String {
        let mirror = Mirror(reflecting: value)
        switch mirror.displayStyle {
        case .tuple:
            return "(" + mirror.children.map { describe($0.value) }.joined(separator: ",") + ")"
        case .optional:
            return mirror.children.first.map { "Some(\(describe($0.value)))" } ?? "None"
        case .collection:
            return "[" + mirror.children.map { describe($0.value) }.joined(separator: ", ") + "]"
        default:
            return String(describing: value)
        }
    }
}
