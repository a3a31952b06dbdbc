"""Capturing and reading the emails a site sends.

message.py parses MIME into CapturedEmail; sink.py is the SMTP server journeytest
starts for local runs; mailbox.py reads captured mail from the sink's store, an
IMAP inbox or a Mailpit API behind one interface.
"""
