"""The assistant app's pages (the app template: views in views/, one module per group of pages; urls.py names them)."""
