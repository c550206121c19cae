import CRdKafka

/// A failure talking to Kafka: what was being done, librdkafka's error, and whether retrying
/// can help.
///
/// - Important: Never holds the value of a secret property.
public struct KafkaError: Error, CustomStringConvertible, Sendable {
    /// What the library was doing, e.g. "reading offsets [10, 20) of tweets/3".
    public var operation: String
    /// librdkafka's error code, if the failure came from librdkafka.
    public var code: Code?
    /// The human-readable reason.
    public var message: String
    /// Whether the same operation may succeed later (a broker down, a leader moving).
    public var isRetriable: Bool
    /// Whether the client can no longer be used (e.g. a fenced idempotent producer).
    public var isFatal: Bool

    public init(operation: String, code: Code? = nil, message: String, isRetriable: Bool = false, isFatal: Bool = false) {
        self.operation = operation
        self.code = code
        self.message = message
        self.isRetriable = isRetriable
        self.isFatal = isFatal
    }

    public var description: String {
        "Kafka: \(operation) failed: \(message)" + (code.map { " (\($0.name))" } ?? "")
            + (isRetriable ? " [retriable]" : "") + (isFatal ? " [fatal]" : "")
    }
}

extension KafkaError {
    /// A librdkafka error code (`rd_kafka_resp_err_t`): negative for the client's own errors,
    /// positive for the broker's. Compare with the named codes, e.g. `error.code == .partitionEOF`.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// librdkafka's number for the error.
        public let rawValue: Int32

        public init(rawValue: Int32) {
            self.rawValue = rawValue
        }

        /// librdkafka's name for it, e.g. `_TRANSPORT`, `TOPIC_AUTHORIZATION_FAILED`.
        public var name: String { String(cString: rd_kafka_err2name(rd_kafka_resp_err_t(rawValue: rawValue))) }

        public var description: String { name }

        /// The end of a partition was reached (a consumer event, not a failure).
        public static let partitionEOF = Code(RD_KAFKA_RESP_ERR__PARTITION_EOF)
        /// The consumer's position was reset: the offset it wanted no longer exists.
        public static let autoOffsetReset = Code(RD_KAFKA_RESP_ERR__AUTO_OFFSET_RESET)
        /// The broker has no such offset (deleted by retention, or the topic was recreated).
        public static let offsetOutOfRange = Code(RD_KAFKA_RESP_ERR_OFFSET_OUT_OF_RANGE)
        /// The producer's queue is full: wait for deliveries, then retry.
        public static let queueFull = Code(RD_KAFKA_RESP_ERR__QUEUE_FULL)
        /// The client cannot be used any more.
        public static let fatal = Code(RD_KAFKA_RESP_ERR__FATAL)
        /// A connection to a broker failed.
        public static let transport = Code(RD_KAFKA_RESP_ERR__TRANSPORT)
        /// No broker is reachable.
        public static let allBrokersDown = Code(RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN)
        /// The operation did not finish in time.
        public static let timedOut = Code(RD_KAFKA_RESP_ERR__TIMED_OUT)
        /// A request timed out at the broker.
        public static let requestTimedOut = Code(RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT)
        /// The leader of a partition is not known yet (an election is under way).
        public static let leaderNotAvailable = Code(RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE)
        /// The broker asked is no longer the partition's leader.
        public static let notLeaderForPartition = Code(RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION)
        /// The group coordinator is loading, moving or not available.
        public static let coordinatorLoadInProgress = Code(RD_KAFKA_RESP_ERR_COORDINATOR_LOAD_IN_PROGRESS)
        public static let coordinatorNotAvailable = Code(RD_KAFKA_RESP_ERR_COORDINATOR_NOT_AVAILABLE)
        public static let notCoordinator = Code(RD_KAFKA_RESP_ERR_NOT_COORDINATOR)
        /// A topic the credentials may not use.
        public static let topicAuthorizationFailed = Code(RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED)

        /// The group is rebalancing, or moved on without this member: its commits are refused
        /// until it has rejoined (at its next poll).
        public static let rebalanceInProgress = Code(RD_KAFKA_RESP_ERR_REBALANCE_IN_PROGRESS)
        public static let illegalGeneration = Code(RD_KAFKA_RESP_ERR_ILLEGAL_GENERATION)
        public static let unknownMemberID = Code(RD_KAFKA_RESP_ERR_UNKNOWN_MEMBER_ID)

        init(_ code: rd_kafka_resp_err_t) {
            rawValue = code.rawValue
        }

        /// Errors that clear up by themselves (brokers back, leaders elected, coordinators
        /// loaded): librdkafka marks these retriable, but its flag exists only on the
        /// `rd_kafka_error_t` objects of newer APIs, not on the codes most calls return.
        var isRetriable: Bool {
            [
                .transport, .allBrokersDown, .timedOut, .requestTimedOut, .leaderNotAvailable, .notLeaderForPartition,
                .coordinatorLoadInProgress, .coordinatorNotAvailable, .notCoordinator, .queueFull,
                Code(RD_KAFKA_RESP_ERR__WAIT_COORD), Code(RD_KAFKA_RESP_ERR__RESOLVE),
            ].contains(self)
        }
    }
}
