<?xml version="1.0" encoding="utf-8"?>
<!-- Shows our RSS and Atom feeds as a readable page when opened in a browser. Feed readers
     ignore it. No script and no inline style: the page uses the site's stylesheet, so the
     Content-Security-Policy of the feed's response allows it. -->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:atom="http://www.w3.org/2005/Atom"
    exclude-result-prefixes="atom">
  <xsl:output method="html" encoding="utf-8" doctype-system="about:legacy-compat" indent="yes"/>
  <xsl:variable name="title" select="/rss/channel/title | /atom:feed/atom:title"/>
  <xsl:template match="/">
    <html lang="en-CA">
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title><xsl:value-of select="$title"/> (feed)</title>
        <link rel="stylesheet" href="/static/css/site.css"/>
      </head>
      <body>
        <header class="site-header">
          <div class="wrap">
            <a class="masthead" href="/">
              <xsl:value-of select="substring-before(concat($title, ':'), ':')"/>
            </a>
          </div>
        </header>
        <main id="main" class="wrap feed-page">
          <div class="notice feed-page__about">
            <p><strong>This is a news feed.</strong> Copy its address into a feed reader
              (such as NetNewsWire, Feedly or Thunderbird) to get new stories as they are
              published.</p>
          </div>
          <h1><xsl:value-of select="$title"/></h1>
          <p class="listing-header__intro">
            <xsl:value-of select="/rss/channel/description | /atom:feed/atom:subtitle"/>
          </p>
          <div class="listing listing--plain">
            <xsl:apply-templates select="/rss/channel/item | /atom:feed/atom:entry"/>
          </div>
        </main>
      </body>
    </html>
  </xsl:template>

  <xsl:template match="item">
    <article class="card card--row">
      <div class="card__text">
        <h2 class="card__headline"><a href="{link}"><xsl:value-of select="title"/></a></h2>
        <p class="card__excerpt"><xsl:value-of select="description"/></p>
        <p class="card__meta"><xsl:value-of select="pubDate"/></p>
      </div>
    </article>
  </xsl:template>

  <xsl:template match="atom:entry">
    <article class="card card--row">
      <div class="card__text">
        <h2 class="card__headline">
          <a href="{atom:link[@rel='alternate']/@href | atom:link[not(@rel)]/@href}"><xsl:value-of select="atom:title"/></a>
        </h2>
        <p class="card__excerpt"><xsl:value-of select="atom:summary"/></p>
        <p class="card__meta"><xsl:value-of select="atom:published | atom:updated[not(../atom:published)]"/></p>
      </div>
    </article>
  </xsl:template>
</xsl:stylesheet>
