"""The mobile procedure team (issue 18, Cát Tiên 3): trips to remote hamlets, dossiers taken offline and synced
without loss or duplicates."""
