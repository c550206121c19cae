import StreamCore

// The scheduler runs foreachBatch off the main actor: Swift 6 must refuse this data race.
let context = StreamingContext(batchInterval: .seconds(1), clock: ManualClock())
let numbers = context.stream(from: QueueSource([[1, 2, 3]]))
var total = 0
try numbers.foreachBatch(name: "sum") { batch, _ in total += batch.count }
