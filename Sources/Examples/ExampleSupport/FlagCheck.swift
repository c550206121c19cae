import ArgumentParser

/// Range checks for numeric flags: a value out of range (NaN, infinity, negative, zero where
/// it makes no sense, too large) is a one-line error and exit status 64, never a crash.
public enum FlagCheck {
    /// A finite number within `range`.
    public static func number(_ value: Double, _ flag: String, in range: ClosedRange<Double>) throws {
        guard value.isFinite, range.contains(value) else {
            throw ValidationError(
                "\(flag) must be a number from \(format(range.lowerBound)) to \(format(range.upperBound)), not \(value)")
        }
    }

    /// A duration in seconds: at least a millisecond, at most a year.
    public static func seconds(_ value: Double, _ flag: String, atLeast minimum: Double = 0.001) throws {
        try number(value, flag, in: minimum...31_536_000)
    }

    /// A whole number within `range`.
    public static func integer(_ value: Int, _ flag: String, in range: ClosedRange<Int>) throws {
        guard range.contains(value) else {
            throw ValidationError("\(flag) must be a whole number from \(range.lowerBound) to \(range.upperBound), not \(value)")
        }
    }

    /// A TCP port; 0 lets a server pick a free one.
    public static func port(_ value: Int, _ flag: String = "--port", allowZero: Bool) throws {
        try integer(value, flag, in: (allowZero ? 0 : 1)...65_535)
    }

    private static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }
}
