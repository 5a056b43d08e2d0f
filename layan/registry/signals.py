"""Signals of the register, for higher apps to listen to without being imported here."""

from django.dispatch import Signal

# Sent after a snapshot has become its region's active one (the transaction committed).
# Arguments: snapshot.
snapshot_activated = Signal()
