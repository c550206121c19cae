/// Exact summation of doubles (Shewchuk's algorithm, as Python's `math.fsum`): the same mean
/// whatever the order in which partitions deliver the scores, and sums that merge exactly.
enum ExactSum {
    /// Non-overlapping doubles, smallest magnitude first, whose exact sum is the values' exact sum.
    static func partials(of values: [Double]) -> [Double] {
        var partials: [Double] = []
        for value in values {
            var x = value
            var kept = 0
            for var y in partials {
                if abs(x) < abs(y) { swap(&x, &y) }
                let high = x + y
                let low = y - (high - x)
                if low != 0 {
                    partials[kept] = low
                    kept += 1
                }
                x = high
            }
            partials.removeSubrange(kept...)
            partials.append(x)
        }
        return partials
    }

    /// The exact sum of `partials` rounded once, to nearest, ties to even (CPython's `fsum` ending).
    static func rounded(_ partials: [Double]) -> Double {
        guard var n = partials.indices.last else { return 0 }
        var high = partials[n]
        var low = 0.0
        while n > 0 {
            let x = high
            n -= 1
            let y = partials[n]
            high = x + y
            low = y - (high - x)
            if low != 0 { break }
        }
        if n > 0, (low < 0 && partials[n - 1] < 0) || (low > 0 && partials[n - 1] > 0) {
            let y = low * 2
            let x = high + y
            if y == x - high { high = x }
        }
        return high
    }
}
