import CMalloc
import Foundation
import Logging

extension StreamingContext {
    /// Settings of a context beyond its batch interval.
    public struct Configuration: Sendable {
        /// Partitions per batch, and threads that process them. Default: all cores.
        public var parallelism: Int = ProcessInfo.processInfo.activeProcessorCount
        /// Write a checkpoint every this many batches (when a checkpoint store is set).
        public var checkpointInterval: Int = 1
        /// Stop gracefully after this many consecutive batches in which no source had a record.
        public var stopAfterIdleBatches: Int?
        /// Stop gracefully on SIGINT or SIGTERM; a second signal stops at once.
        public var stopGracefullyOnSignals = false
        /// Where the context logs (batch failures, restores, stops).
        public var logger = Logger(label: "StreamCore")
        /// Keep the memory a batch frees for the next batches, process-wide, from `start()`
        /// on. glibc's `malloc` gives each large block its own mapping and unmaps it when freed,
        /// so every batch had the kernel map, fault in and zero its buffers again (half of
        /// `network-wordcount`'s system time): with this set, blocks up to 16 MiB (a batch's
        /// shuffle dictionaries) come from malloc's heaps, and up to 256 MiB of free heap is
        /// kept. The price is memory held between batches: it raised `kafka-wordcount`'s peak
        /// from 164 MB to 181 when it came in. Set `false` if the application tunes `malloc`
        /// itself. No effect with other C libraries.
        public var keepsFreedMemory = true

        /// The defaults: every setting as declared.
        public init() {}
    }
}

/// `Configuration.keepsFreedMemory`, applied once per process.
enum FreedMemory {
    static let kept: Bool = stream_keep_freed_memory(16 << 20, 256 << 20) == 1
}
