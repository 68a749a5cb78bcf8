"""The form tests build their forms with forms_support (importable: pytest puts this folder on sys.path)."""
