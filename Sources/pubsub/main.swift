import Foundation
import PubSubDemo

exit(await PubSubCommand.main(Array(CommandLine.arguments.dropFirst())))
