/// An error thrown by a closure the user gave an operator, with the operator it was given to,
/// so a failed batch names `map 'lines/flatMap/map'` rather than the output that pulled the
/// records through the fused loop.
@usableFromInline
struct OperatorFailure: Error {
    let operatorName: String
    let underlying: any Error

    @usableFromInline
    init(operatorName: String, underlying: any Error) {
        self.operatorName = operatorName
        self.underlying = underlying
    }
}

extension DStream {
    /// The operator's name for errors: `map 'lines/flatMap/map'`.
    @inlinable
    func failureName(_ operatorName: String) -> String {
        "\(operatorName) '\(lineage)/\(operatorName)'"
    }
}

/// `function`, with what it throws attributed to `operatorName` (errors already attributed
/// upstream pass through).
@inlinable
func attributed<A, R>(
    _ function: @escaping @Sendable (A) throws -> R, to operatorName: String
) -> @Sendable (A) throws -> R {
    { argument in
        do {
            return try function(argument)
        } catch let failure as OperatorFailure {
            throw failure
        } catch {
            throw OperatorFailure(operatorName: operatorName, underlying: error)
        }
    }
}

/// A two-argument `function`, with what it throws attributed to `operatorName`.
@inlinable
func attributed<A, B, R>(
    _ function: @escaping @Sendable (A, B) throws -> R, to operatorName: String
) -> @Sendable (A, B) throws -> R {
    { a, b in
        do {
            return try function(a, b)
        } catch let failure as OperatorFailure {
            throw failure
        } catch {
            throw OperatorFailure(operatorName: operatorName, underlying: error)
        }
    }
}
