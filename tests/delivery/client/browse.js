// Browse an OPDS catalog the way an OPDS reader app does, with foliate-js's OPDS module
// (the code the Foliate e-book reader uses): open the root feed, follow a navigation
// link, search through the OpenSearch description, and download a book.
import { getFeed, getOpenSearch, REL } from './foliate-js/opds.js'

const load = async url => {
    const response = await fetch(url)
    if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`)
    const text = await response.text()
    const doc = new DOMParser().parseFromString(text, 'application/xml')
    if (doc.querySelector('parsererror')) throw new Error(`${url}: not XML`)
    return doc
}

const isAcquisition = link => [link.rel ?? []].flat().some(r => r?.startsWith(REL.ACQ))

const toBase64 = bytes => {
    let s = ''
    for (let i = 0; i < bytes.length; i += 0x8000)
        s += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
    return btoa(s)
}

export async function browse({ root, navigate, terms }) {
    const rootUrl = new URL(root, location.href)
    const home = getFeed(await load(rootUrl))
    const navigation = home.navigation.map(item => item.title)

    // Follow a navigation link by its title, then the first entry of that list.
    const nav = home.navigation.find(item => item.title === navigate)
    const listUrl = new URL(nav.href, rootUrl)
    const list = getFeed(await load(listUrl))
    const group = list.navigation[0]
    const groupUrl = new URL(group.href, listUrl)
    const books = getFeed(await load(groupUrl)).publications ?? []

    // Search as the app does: the OpenSearch description, then its template.
    const searchLink = home.links.find(link => [link.rel].flat().includes('search'))
    const descriptionUrl = new URL(searchLink.href, rootUrl)
    const search = getOpenSearch(await load(descriptionUrl))
    const resultsUrl = new URL(search.search(new Map([[null, new Map([['searchTerms', terms]])]])),
                               descriptionUrl)
    const found = getFeed(await load(resultsUrl)).publications ?? []

    // Download the first result's EPUB.
    const epub = found[0].links.find(link => isAcquisition(link) && link.type === 'application/epub+zip')
    const bookUrl = new URL(epub.href, resultsUrl)
    const bytes = new Uint8Array(await (await fetch(bookUrl)).arrayBuffer())
    return {
        title: home.metadata.title,
        navigation,
        group: group.title,
        books: books.map(p => ({
            title: p.metadata.title,
            authors: p.metadata.author.map(a => a.name),
            images: p.images.map(i => i.type),
        })),
        searchUrl: resultsUrl.href,
        found: found.map(p => p.metadata.title),
        bookUrl: bookUrl.href,
        book: toBase64(bytes),
    }
}
