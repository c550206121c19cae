import Foundation

/// Turns a batch's records into checkpoint bytes and back.
///
/// Records that are `Codable` encode as a JSON array; key/value pairs (Swift tuples are never
/// `Codable`) encode as `PairEncoding` does keyed state.
struct ElementCodec<Element> {
    let encode: ([Element]) throws -> Data
    let decode: (Data) throws -> [Element]

    /// A codec when `Element` is `Codable` at run time; nil otherwise.
    static func dynamic() -> ElementCodec? {
        guard let type = [Element].self as? any Codable.Type else { return nil }
        return ElementCodec(
            encode: { records in
                guard let encodable = records as? any Encodable else { throw CodecError.notCodable("\(Element.self)") }
                return try JSONEncoder().encode(encodable)
            },
            decode: { data in
                guard let records = try JSONDecoder().decode(type, from: data) as? [Element] else {
                    throw CodecError.notCodable("\(Element.self)")
                }
                return records
            })
    }

    static func pairs<Key: Codable, Value: Codable>() -> ElementCodec<(Key, Value)> where Element == (Key, Value) {
        ElementCodec<(Key, Value)>(
            encode: { try PairEncoding.encode($0) },
            decode: { try PairEncoding.decode($0) })
    }
}

/// Key/value pairs as two parallel arrays.
struct PairColumns<Key: Codable, Value: Codable>: Codable {
    var keys: [Key]
    var values: [Value]

    /// The entries of dictionaries, copied column by column.
    init(partitions: [[Key: Value]]) where Key: Hashable {
        let count = partitions.reduce(0) { $0 + $1.count }
        keys = []
        values = []
        keys.reserveCapacity(count)
        values.reserveCapacity(count)
        for partition in partitions {
            keys.append(contentsOf: partition.keys)
            values.append(contentsOf: partition.values)
        }
    }

    init(records: some Sequence<(Key, Value)>) {
        keys = []
        values = []
        keys.reserveCapacity(records.underestimatedCount)
        values.reserveCapacity(records.underestimatedCount)
        for (key, value) in records {
            keys.append(key)
            values.append(value)
        }
    }

    var records: [(Key, Value)] { Array(zip(keys, values)) }
}

enum CodecError: Error, CustomStringConvertible {
    case notCodable(String)
    var description: String {
        switch self {
        case .notCodable(let type): return "records of type \(type) are not Codable"
        }
    }
}
