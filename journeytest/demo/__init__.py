"""The bundled demo company ("Acme Cloud"): a subscription service in a fair and a dark variant.

It exists so journeytest can show what it catches in one command, and so its
own tests run against a real site that really sends email over SMTP.
"""
