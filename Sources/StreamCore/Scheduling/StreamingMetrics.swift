import Metrics

/// The context's swift-metrics instruments (no-ops until the application bootstraps a backend).
struct StreamingMetrics: Sendable {
    let batches = Counter(label: "streamcore_batches_total")
    let batchFailures = Counter(label: "streamcore_batch_failures_total")
    let inputRecords = Counter(label: "streamcore_input_records_total")
    let rejectedRecords = Gauge(label: "streamcore_rejected_records")
    let waitingRecords = Gauge(label: "streamcore_waiting_records")
    let processingTime = Metrics.Timer(label: "streamcore_batch_processing_time")
    let schedulingDelay = Metrics.Timer(label: "streamcore_batch_scheduling_delay")

    func record(_ info: BatchInfo) {
        batches.increment()
        inputRecords.increment(by: info.totalInputRecords)
        rejectedRecords.record(info.rejectedRecords.values.reduce(0, +))
        waitingRecords.record(info.waitingRecords.values.reduce(0, +))
        for (operatorName, kinds) in info.refusedRecords {
            for (kind, count) in kinds {
                Counter(label: "streamcore_refused_records_total", dimensions: [("operator", operatorName), ("kind", kind)])
                    .increment(by: count)
            }
        }
        if let time = info.processingTime { processingTime.recordNanoseconds(nanoseconds(time)) }
        if let delay = info.schedulingDelay { schedulingDelay.recordNanoseconds(nanoseconds(delay)) }
    }

    private func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
