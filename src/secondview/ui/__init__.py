"""The full-screen app (Textual). Imported only when the app starts."""
