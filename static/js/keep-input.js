// Keeps what the user typed in forms marked data-keep-input until the server has saved it (issue 16).
