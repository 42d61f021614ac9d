"""Stories from where fans keep them: archive links fetched through FanFicFare (`links`,
`fanficfare`), calibre libraries (`calibre`, `search`), and the step of a build that turns
a recipe's links and library search into story files (`resolve`). Only `links.prepare`
ever connects to the network; a build reads the download cache and nothing else."""
