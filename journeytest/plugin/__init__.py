"""Where journeytest meets pytest: `hooks` is the switchboard pytest loads (entry point `pytest11`).

Each module does one job: options (Settings from the command line and ini), collection
(scenario files to items), items, dry runs, fixtures, the wire format from workers to
the controller, the recorder (results file, report, history, event hooks), mail set-up
and masking, terminal output and xdist scheduling. All stash keys live in `stash`.
"""
