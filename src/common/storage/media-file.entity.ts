import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';

/** A file kept in PostgreSQL by `STORAGE=postgres`; its contents are in `MediaFileChunk` rows. */
@Entity('media_files')
export class MediaFile {
  @PrimaryColumn({ type: 'varchar', length: 255 })
  key: string;

  @Column({ type: 'integer' })
  size: number;

  @CreateDateColumn({ type: 'timestamptz' })
  created: Date;
}

/** One slice of a file, numbered from 0: files are written and served a slice at a time. */
@Entity('media_file_chunks')
export class MediaFileChunk {
  @PrimaryColumn({ type: 'varchar', length: 255 })
  fileKey: string;

  @PrimaryColumn({ type: 'integer' })
  part: number;

  @ManyToOne(() => MediaFile, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn()
  file: MediaFile;

  @Column({ type: 'bytea' })
  data: Buffer;
}
