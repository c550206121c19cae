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

        /// The defaults: every setting as declared.
        public init() {}
    }
}
