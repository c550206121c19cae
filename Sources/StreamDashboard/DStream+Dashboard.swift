import StreamCore

extension DStream {
    /// Draws each batch's `(label, value)` pairs as the chart's bars (in stream order: sort or
    /// take a top N first).
    public func publish<Label: CustomStringConvertible & Sendable, Value: ChartValue>(
        to dashboard: Dashboard, as chart: Chart
    ) throws where Element == (Label, Value) {
        try foreachBatch(name: "dashboard/\(chart.id)") { batch, time in
            let bars = batch.records.map { (label: $0.0.description, value: $0.1.chartValue) }
            dashboard.hub.update(chart) { panel in
                panel.mark(time)
                switch chart.kind {
                case .bars: panel.bars = bars
                case .timeline: panel.append(bars.first?.value, at: time)
                case .text: panel.lines = bars.map { "\($0.label): \(JSONText.number($0.value))" }
                }
            }
        }
    }

    /// Draws each batch's first number as the next point of a timeline (nothing is drawn for
    /// a batch without records), or as a one-bar chart.
    public func publish(to dashboard: Dashboard, as chart: Chart) throws where Element: ChartValue {
        try foreachBatch(name: "dashboard/\(chart.id)") { batch, time in
            let values = batch.records.map(\.chartValue)
            dashboard.hub.update(chart) { panel in
                panel.mark(time)
                switch chart.kind {
                case .timeline: panel.append(values.first, at: time)
                case .bars: panel.bars = values.map { (label: chart.title, value: $0) }
                case .text: panel.lines = values.map(JSONText.number)
                }
            }
        }
    }

    /// Shows each batch's records as lines of text (the page renders them as text, never as HTML).
    public func publish(to dashboard: Dashboard, as chart: Chart, text: @escaping @Sendable (Element) -> String) throws {
        try foreachBatch(name: "dashboard/\(chart.id)") { batch, time in
            let lines = batch.records.map(text)
            dashboard.hub.update(chart) { panel in
                panel.mark(time)
                panel.lines = lines
            }
        }
    }

    /// Registers each batch's pairs as the SQL view `name`, replacing the previous batch's
    /// (Spark's `createOrReplaceTempView`): columns `columns.label` (TEXT) and `columns.value`.
    public func createOrReplaceTempView<Label: CustomStringConvertible & Sendable, Value: ChartValue>(
        _ name: String, in dashboard: Dashboard, columns: (label: String, value: String)
    ) throws where Element == (Label, Value) {
        let integral = Value.self == Int.self || Value.self == Int64.self
        let schema = [SQLViews.Column(columns.label, .text), SQLViews.Column(columns.value, integral ? .integer : .real)]
        try foreachBatch(name: "view/\(name)") { batch, _ in
            let rows: [[SQLViews.Value]] = batch.records.map { record in
                let value = record.1.chartValue
                return [.text(record.0.description), integral ? .integer(Int64(value)) : .real(value)]
            }
            try dashboard.views.replace(view: name, columns: schema, rows: rows)
        }
    }
}

extension PanelState {
    mutating func mark(_ time: BatchTime) {
        batch += 1
        self.time = time.milliseconds
    }

    mutating func append(_ value: Double?, at time: BatchTime) {
        guard let value else { return }
        points.append((time.milliseconds, value))
        if points.count > Chart.timelinePoints { points.removeFirst(points.count - Chart.timelinePoints) }
    }
}
