"""Asks the X window named by its id (argv[1]) to close, as a window manager's close
button does: a WM_DELETE_WINDOW client message. (Xvfb runs no window manager, and
WebDriver's own "close window" ends the automation session instead.)"""

import sys

from Xlib import X, display, protocol

screen = display.Display()
window = screen.create_resource_object("window", int(sys.argv[1]))
protocols = screen.intern_atom("WM_PROTOCOLS")
delete = screen.intern_atom("WM_DELETE_WINDOW")
message = protocol.event.ClientMessage(
    window=window, client_type=protocols, data=(32, [delete, X.CurrentTime, 0, 0, 0])
)
window.send_event(message, event_mask=X.NoEventMask)
screen.flush()
