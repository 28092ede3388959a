import Foundation

if ChaosDaemon.isInvoked(as: CommandLine.arguments.first) {
    exit(await ChaosDaemon().run())
}
exit(await BenchCommand.main(Array(CommandLine.arguments.dropFirst())))
