import Foundation
import XCTest

/// Every ```swift block of README.md has a mirror under `Snippets/` holding exactly its text, so
/// building this target compiles the README. `README_SNIPPETS=write swift test --filter ReadmeSnippetTests`
/// names blocks that have no id, creates missing mirrors and copies changed text into mirrors.
final class ReadmeSnippetTests: XCTestCase {
    private var writes: Bool { ProcessInfo.processInfo.environment["README_SNIPPETS"] == "write" }

    func testEverySwiftBlockOfTheReadme_hasAMirrorWithItsText() throws {
        var readme = try String(contentsOf: ReadmeSnippets.readme, encoding: .utf8)
        let blocks = ReadmeSnippets.blocks(in: readme)
        let mirrors = try ReadmeSnippets.mirrors()
        var taken = Set(blocks.compactMap(\.id)).union(mirrors.keys)
        var problems: [String] = []
        var written: [String] = []
        var seen: [String: Int] = [:]
        for var block in blocks {
            let place = "README.md:\(block.line)"
            guard let id = block.id else {
                let id = ReadmeSnippets.suggestedId(for: block, taken: taken)
                taken.insert(id)
                if writes {
                    readme = ReadmeSnippetTests.naming(block, id, in: readme)
                    block.id = id
                    try write(ReadmeSnippets.template(for: block, id: id), to: path(of: id))
                    written.append("\(place): named the block '\(id)' and created \(relative(path(of: id)))")
                } else {
                    problems.append("""
                        \(place): this ```swift block has no id. Write ```swift \(id) on its opening line and create \
                        \(relative(path(of: id))), e.g. this (then add what it needs to compile around the markers):
                        \(ReadmeSnippets.template(for: block, id: id))
                        """)
                }
                continue
            }
            guard ReadmeSnippets.isValidId(id) else {
                problems.append("\(place): the id '\(id)' is not lower-case letters, digits and '-', starting with a letter")
                continue
            }
            if let first = seen[id] {
                problems.append("\(place): the id '\(id)' is already the block's at README.md:\(first); give this block another")
                continue
            }
            seen[id] = block.line
            guard let mirror = mirrors[id] else {
                if writes {
                    try write(ReadmeSnippets.template(for: block, id: id), to: path(of: id))
                    written.append("\(place): created \(relative(path(of: id)))")
                } else {
                    problems.append("""
                        \(place): the block '\(id)' has no mirror. Create \(relative(path(of: id))), e.g. this \
                        (then add what it needs to compile around the markers):
                        \(ReadmeSnippets.template(for: block, id: id))
                        """)
                }
                continue
            }
            problems += mirror.problems.map { "\(relative(mirror.path)): \($0)" }
            guard mirror.problems.isEmpty, mirror.lines != block.lines else { continue }
            if writes, try rewrite(mirror, with: block.lines) {
                written.append("\(place): copied the block's text into \(relative(mirror.path))")
            } else {
                problems.append("README.md:\(block.line + 1 + ReadmeSnippetTests.firstDifference(block.lines, mirror.lines)): "
                                + "the block '\(id)' (line \(block.line)) differs from its mirror \(relative(mirror.path)): "
                                + ReadmeSnippetTests.difference(block.lines, mirror.lines)
                                + " (change the mirror, or run README_SNIPPETS=write swift test --filter ReadmeSnippetTests)")
            }
        }
        for id in mirrors.keys.sorted() where seen[id] == nil && !blocks.contains(where: { $0.id == id }) {
            problems.append("\(relative(path(of: id))): no ```swift \(id) block in README.md; delete the file if the block is gone")
        }
        if writes, !written.isEmpty {
            try readme.write(to: ReadmeSnippets.readme, atomically: true, encoding: .utf8)
            problems.append("README_SNIPPETS=write changed files; build and test again:\n" + written.joined(separator: "\n"))
        }
        if !problems.isEmpty {
            XCTFail("README.md and its mirrors under Tests/ReadmeTests/Snippets disagree:\n\n" + problems.joined(separator: "\n\n"))
        }
    }

    func testTheReadmeParser_findsSwiftBlocksOnly_withTheirIdsAndLines() {
        let text = """
            # Title
            ```sh
            ```swift not-this-one
            ```
            ## Part one
            ```swift first
            let a = 1
              ```
            ```swift
            ```
            ````md
            ```swift inside-another-fence
            ````
            """
        XCTAssertEqual(ReadmeSnippets.blocks(in: text), [
            .init(id: "first", line: 6, lines: ["let a = 1"], section: "Part one"),
            .init(id: nil, line: 9, lines: [], section: "Part one"),
        ])
    }

    func testSuggestedIds_comeFromTheSection_numberedWhenTaken() {
        let block = ReadmeSnippets.Block(id: nil, line: 1, lines: [], section: "Messages and media types")
        XCTAssertEqual(ReadmeSnippets.suggestedId(for: block, taken: []), "messages-and-media-types")
        XCTAssertEqual(ReadmeSnippets.suggestedId(for: block, taken: ["messages-and-media-types"]), "messages-and-media-types-2")
        XCTAssertEqual(ReadmeSnippets.suggestedId(for: .init(id: nil, line: 1, lines: [], section: "3 ways"), taken: []), "block-3-ways")
    }

    func testAMirror_joinsItsRegions_andReportsMarkersThatDoNotPairUp() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("readme-snippets-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let good = directory.appendingPathComponent("two-parts.swift")
        try """
            import Microcosm
            // begin README: two-parts
            extension Graph {}
            // end README: two-parts
            func f() {
                // begin README: two-parts
            let x = 1
                // end README: two-parts
                _ = x
            }
            """.write(to: good, atomically: true, encoding: .utf8)
        let mirror = try ReadmeSnippets.mirror(at: good)
        XCTAssertEqual(mirror.lines, ["extension Graph {}", "let x = 1"])
        XCTAssertEqual(mirror.problems, [])

        let bad = directory.appendingPathComponent("bad.swift")
        try "// begin README: other\nlet y = 2\n".write(to: bad, atomically: true, encoding: .utf8)
        XCTAssertEqual(try ReadmeSnippets.mirror(at: bad).problems, [
            "line 1: the marker names 'other', but the file is the mirror of 'bad'",
            "the last region has no '// end README: bad' line",
        ])
    }

    private func path(of id: String) -> URL {
        ReadmeSnippets.snippetsDirectory.appendingPathComponent("\(id).swift")
    }

    private func relative(_ url: URL) -> String {
        String(url.path.dropFirst(ReadmeSnippets.packageRoot.path.count + 1))
    }

    private func write(_ text: String, to url: URL) throws {
        try text.write(to: url, atomically: true, encoding: .utf8)
    }

    /// Replaces the one region of `mirror` with `lines`; false when it has several (which part goes
    /// where is for a person to say).
    private func rewrite(_ mirror: ReadmeSnippets.Mirror, with lines: [String]) throws -> Bool {
        let text = try String(contentsOf: mirror.path, encoding: .utf8)
        var fileLines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let begins = fileLines.indices.filter { fileLines[$0].trimmingCharacters(in: .whitespaces).hasPrefix(ReadmeSnippets.beginMarker) }
        let ends = fileLines.indices.filter { fileLines[$0].trimmingCharacters(in: .whitespaces).hasPrefix(ReadmeSnippets.endMarker) }
        guard begins.count == 1, ends.count == 1 else { return false }
        fileLines.replaceSubrange(begins[0] + 1..<ends[0], with: lines)
        try write(fileLines.joined(separator: "\n"), to: mirror.path)
        return true
    }

    /// `readme` with `block`'s opening fence naming `id`.
    private static func naming(_ block: ReadmeSnippets.Block, _ id: String, in readme: String) -> String {
        var lines = readme.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines[block.line - 1] += " \(id)"
        return lines.joined(separator: "\n")
    }

    /// The index of the first line where `block` and `mirror` differ.
    static func firstDifference(_ block: [String], _ mirror: [String]) -> Int {
        (0..<min(block.count, mirror.count)).first { block[$0] != mirror[$0] } ?? min(block.count, mirror.count)
    }

    /// The first line where `block` and `mirror` differ, in each.
    static func difference(_ block: [String], _ mirror: [String]) -> String {
        let index = firstDifference(block, mirror)
        let readmeLine = index < block.count ? "'\(block[index])'" : "(the block has ended)"
        let mirrorLine = index < mirror.count ? "'\(mirror[index])'" : "(the mirror has ended)"
        return "README has \(readmeLine), the mirror has \(mirrorLine)"
    }
}
