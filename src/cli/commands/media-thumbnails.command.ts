import { Command, CommandRunner, Option } from 'nest-commander';
import { ImagesService } from '../../images/images.service';
import { CliDatabase } from '../cli-database.service';
import { CommandFailed } from '../cli-errors';
import { note, print, printJson } from '../cli-output';

@Command({
  name: 'media:thumbnails',
  description:
    'Make the thumbnails and placeholders of images uploaded before they were made; again: only what is left',
})
export class MediaThumbnailsCommand extends CommandRunner {
  constructor(
    private readonly database: CliDatabase,
    private readonly images: ImagesService,
  ) {
    super();
  }

  async run(_: string[], options: { json?: boolean }): Promise<void> {
    await this.database.open();
    const report = await this.images.makeMissingThumbnails();
    for (const { imageId, error } of report.failed) {
      note(`image ${imageId}: ${error}`);
    }
    if (options.json) {
      printJson({ ...report, failed: report.failed.length });
    } else {
      print(
        `${report.found} image(s) without a thumbnail: made ${report.made}` +
          (report.failed.length > 0 ? `, ${report.failed.length} failed` : '') +
          '.',
      );
    }
    if (report.failed.length > 0) {
      throw new CommandFailed(`${report.failed.length} thumbnail(s) could not be made; run the command again to retry`);
    }
  }

  @Option({ flags: '--json', description: 'print the counts as a JSON object' })
  parseJson(): boolean {
    return true;
  }
}
