import Foundation
import SimpleDaemon

exit(await SimpleDaemon().run())
