import Foundation

/// The ```swift blocks of README.md and the mirror files that compile them.
///
/// A block is opened by a fence line ```` ```swift <id> ```` (the id: lower-case letters, digits and `-`) and
/// is mirrored by `Tests/ReadmeTests/Snippets/<id>.swift`, where its text stands between
/// `// begin README: <id>` and `// end README: <id>` lines. A block may be split into several such
/// regions (a block with an extension and statements: the extension at file scope, the statements
/// in a function); their lines, in file order, are the block's. Everything outside the regions is the
/// context the block needs (imports, a wrapper function, stub types, uses of its values).
struct ReadmeSnippets {
    /// One ```swift block of the README.
    struct Block: Equatable {
        /// The id written after `swift` on the opening fence; nil when there is none.
        var id: String?
        /// The 1-based line of the opening fence.
        var line: Int
        /// The lines between the fences.
        var lines: [String]
        /// The title of the section the block is in (`The graph`).
        var section: String
    }

    /// One mirror file: the lines of its regions, in order.
    struct Mirror {
        var id: String
        var path: URL
        var lines: [String]
        /// Markers that do not pair up, or name another id.
        var problems: [String]
    }

    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let readme = packageRoot.appendingPathComponent("README.md")
    static let snippetsDirectory = packageRoot.appendingPathComponent("Tests/ReadmeTests/Snippets")

    /// The `swift` blocks of `text` (other fence languages are not Swift source and are left alone).
    static func blocks(in text: String) -> [Block] {
        var blocks: [Block] = []
        var open: Block?
        var fence: String?
        var section = ""
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if let current = open {
                if trimmed == fence {
                    blocks.append(current)
                    open = nil
                    fence = nil
                } else {
                    open!.lines.append(line)
                }
            } else if let opening = fence {
                if trimmed == opening { fence = nil }                       // the end of a block in another language
            } else if line.hasPrefix("#") {
                section = line.drop { $0 == "#" }.trimmingCharacters(in: .whitespaces)
            } else if trimmed.hasPrefix("```") {
                let ticks = String(trimmed.prefix { $0 == "`" })
                let info = trimmed.dropFirst(ticks.count).split(separator: " ").map(String.init)
                fence = ticks
                if info.first == "swift" {
                    open = Block(id: info.count > 1 ? info[1] : nil, line: index + 1, lines: [], section: section)
                }
            }
        }
        return blocks
    }

    /// The mirror in `path`, its regions read by their markers.
    static func mirror(at path: URL) throws -> Mirror {
        let id = path.deletingPathExtension().lastPathComponent
        var mirror = Mirror(id: id, path: path, lines: [], problems: [])
        var inRegion = false
        let lines = try String(contentsOf: path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        for (index, line) in lines.map(String.init).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix(beginMarker) || trimmed.hasPrefix(endMarker) {
                let isBegin = trimmed.hasPrefix(beginMarker)
                let named = trimmed.dropFirst(isBegin ? beginMarker.count : endMarker.count).trimmingCharacters(in: .whitespaces)
                if named != id {
                    mirror.problems.append("line \(index + 1): the marker names '\(named)', but the file is the mirror of '\(id)'")
                }
                if isBegin == inRegion {
                    mirror.problems.append("line \(index + 1): '\(trimmed)' where \(inRegion ? "an end" : "a begin") marker was expected")
                }
                inRegion = isBegin
            } else if inRegion {
                mirror.lines.append(line)
            }
        }
        if inRegion { mirror.problems.append("the last region has no '\(endMarker) \(id)' line") }
        if lines.allSatisfy({ !$0.contains(beginMarker) }) {
            mirror.problems.append("no '\(beginMarker) \(id)' line")
        }
        return mirror
    }

    static let beginMarker = "// begin README:"
    static let endMarker = "// end README:"

    /// The mirror files, by id.
    static func mirrors() throws -> [String: Mirror] {
        let files = try FileManager.default.contentsOfDirectory(at: snippetsDirectory, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "swift" }
        return try Dictionary(uniqueKeysWithValues: files.map { file in
            let mirror = try mirror(at: file)
            return (mirror.id, mirror)
        })
    }

    /// Whether `id` can name a block and its file.
    static func isValidId(_ id: String) -> Bool {
        !id.isEmpty && id.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
            && id.first!.isLetter
    }

    /// An id for a block that has none: its section's title in lower case, words joined by `-`,
    /// and a number when `taken` has it already.
    static func suggestedId(for block: Block, taken: Set<String>) -> String {
        let words = block.section.lowercased().split { !(("a"..."z").contains($0) || ("0"..."9").contains($0)) }
        var base = words.isEmpty ? "block" : words.prefix(4).joined(separator: "-")
        if !base.first!.isLetter { base = "block-" + base }
        var id = base
        var number = 2
        while taken.contains(id) {
            id = "\(base)-\(number)"
            number += 1
        }
        return id
    }

    /// A new mirror for `block` named `id`: its text in a throwing async function that nothing calls.
    static func template(for block: Block, id: String) -> String {
        let function = "readme" + id.split(separator: "-").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
        return """
            // The README.md block `swift \(id)`: the lines between the markers are its text; what is around them
            // is what it needs to compile (see README "Development").
            import Microcosm
            import MicrocosmAWS
            import MicrocosmPubSub

            func \(function)() async throws {
            \(beginMarker) \(id)
            \(block.lines.joined(separator: "\n"))
            \(endMarker) \(id)
            }

            """
    }
}
