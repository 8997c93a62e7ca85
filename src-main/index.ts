// Entry of the Electron main process bundle. Everything that touches Electron lives in ./electron.
import './electron/main';
