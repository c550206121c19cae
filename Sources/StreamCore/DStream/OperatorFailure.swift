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

/// Runs `body`, attributing what it throws to `operatorName` (errors already attributed
/// upstream pass through). Inlined into the operators' loops: no closure per record.
@inlinable @inline(__always)
func attributing<R>(to operatorName: String, _ body: () throws -> R) rethrows -> R {
    do {
        return try body()
    } catch let failure as OperatorFailure {
        throw failure
    } catch {
        throw OperatorFailure(operatorName: operatorName, underlying: error)
    }
}
