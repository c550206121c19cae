extension DStream {
    /// Parses every record; records `parse` refuses are counted and handed to `deadLetter`,
    /// never silently dropped (DESIGN.md §4).
    ///
    /// ```swift
    /// let numbers = lines.parse("numbers") { line in
    ///     guard let n = Int(line) else { throw RecordRejection(kind: "not_a_number", reason: line) }
    ///     return n
    /// }
    /// ```
    ///
    /// Unlike narrow operators, the result is computed once per batch whatever the number of
    /// streams built on it (parsing is usually the costliest step of a pipeline), so counts
    /// and dead letters happen once. Rejections appear per batch in
    /// `BatchInfo.refusedRecords[name]` (by kind), in the metric
    /// `streamcore_refused_records_total` (dimensions `operator`, `kind`), and, with no dead
    /// letter, in a warning per batch that has any.
    /// - Parameters:
    ///   - name: names the parser in `BatchInfo`, metrics and logs.
    ///   - deadLetter: receives the batch's refused records, in input order, with the batch time;
    ///     an error it throws fails the batch (nothing is lost).
    ///   - parse: returns the parsed value or throws a `RecordRejection`.
    public func parse<Parsed: Sendable>(
        _ name: String,
        deadLetter: (@Sendable (_ rejected: [UnparsedRecord<Element>], _ time: BatchTime) throws -> Void)? = nil,
        _ parse: @escaping @Sendable (Element) throws(RecordRejection) -> Parsed
    ) -> DStream<Parsed> {
        let context = self.context
        return derive("parse(\(name))") { [executor] stage, position in
            // Each partition is parsed as its records are produced: the input is never gathered.
            let results = try executor.map(stage.partitions.count) { p in
                var parsed: [Parsed] = []
                var rejected: [UnparsedRecord<Element>] = []
                try stage.partitions[p]() { record in
                    do throws(RecordRejection) {
                        parsed.append(try parse(record))
                    } catch {
                        rejected.append(UnparsedRecord(record: record, rejection: error))
                    }
                }
                return (parsed, rejected)
            }
            let rejected = results.flatMap(\.1)
            if !rejected.isEmpty {
                context.recordRefusals(rejected.map(\.rejection.kind), by: name)
                if let deadLetter {
                    try deadLetter(rejected, position.time)
                } else {
                    context.logger.warning(
                        """
                        '\(name)' rejected \(rejected.count) record(s) of batch \(position.index), \
                        first: \(rejected[0].rejection) (pass a deadLetter to keep them)
                        """)
                }
            }
            return Stage(materialized: results.map(\.0))
        }
    }
}
